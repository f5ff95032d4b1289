"""The demo's Friends and Family Test counts: a small monthly file, made up, read by the
real import as a governance team's would be (a suppressed count included)."""

from planboard.feedback.fft_models import FriendsAndFamilyCount
from planboard.imports.feedback_fft import import_fft

DEMO_FILE = "demo-friends-and-family-test.csv"
DEMO_COUNTS = """\
Org name,Month,Very Good,Good,Neither Good nor Poor,Poor,Very Poor,Don't Know,Total Responses
Psychotherapy service,Nov-16,14,8,2,1,*,0,26
Psychotherapy service,Dec-16,12,9,3,2,0,1,27
Psychotherapy service,Jan-17,16,7,2,*,0,0,26
Psychotherapy service,Feb-17,17,9,1,1,*,1,30
Recovery Enterprises,Dec-16,9,6,1,0,0,0,16
Recovery Enterprises,Jan-17,11,5,2,1,0,0,19
Recovery Enterprises,Feb-17,10,7,*,0,0,0,18
"""


def ensure_demo_fft(strategy, *, user) -> int | None:
    """Import the made-up counts for ``strategy``; how many, or None if it had some."""
    if FriendsAndFamilyCount.objects.filter(strategy=strategy).exists():
        return None
    return import_fft(strategy, DEMO_COUNTS.encode(), DEMO_FILE, user=user).created
