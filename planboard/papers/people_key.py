"""The key of roles and people a paper prints, from a period's record or the plan now.

The record (``progress.records.people_record``) keeps it as data; this turns that data
into the paper's ``PeopleKey``: the Expert by Experience leads as a group of their own,
as plans list them, everyone else with their roles, and the roles in the key that no
named person holds (a department, say).
"""

from planboard.papers.key import KeyPerson, KeyRole, PeopleKey


def people_key(record: dict) -> PeopleKey:
    roles = tuple(
        KeyRole(role["short"], role["title"], tuple(role["people"]))
        for role in record.get("roles", ())
    )
    in_key = [role for role in record.get("roles", ()) if role["in_key"]]
    ebe = {person["name"] for person in record.get("people", ()) if person["ebe_lead"]}
    # A role every holder of which is an Expert by Experience lead is the group itself.
    the_group = {_named(role) for role in in_key if role["people"] and set(role["people"]) <= ebe}
    ebe_leads, people = [], []
    for person in record.get("people", ()):
        if person["ebe_lead"]:
            kept = tuple(r for r in person["roles"] if r not in the_group)
            ebe_leads.append(KeyPerson(person["name"], kept, person["note"]))
        else:
            people.append(KeyPerson(person["name"], tuple(person["roles"]), person["note"]))
    return PeopleKey(
        ebe_leads=tuple(ebe_leads),
        people=tuple(people),
        unheld=tuple(
            KeyRole(role["short"], role["title"], ()) for role in in_key if not role["people"]
        ),
        roles=roles,
    )


def _named(role: dict) -> str:
    """The role as a person's entry writes it (``str(Role)``)."""
    if role["short"] != role["title"]:
        return f"{role['title']} ({role['short']})"
    return role["title"]
