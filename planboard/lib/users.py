"""How planboard names the people behind accounts, on pages, in e-mails and in snapshots."""


def display_name(user) -> str:
    """The account's full name, else its username; "" for no account."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
