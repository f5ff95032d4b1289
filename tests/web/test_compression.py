"""Pages go compressed to a browser that asks for it, and as they are to one that does not."""

import gzip

from django.urls import reverse


def test_a_page_is_compressed_for_a_browser_that_asks(signed_in, small_plan):
    url = reverse("plan", kwargs={"slug": "demo"})
    plain = signed_in.get(url)
    packed = signed_in.get(url, headers={"accept-encoding": "gzip, deflate, br"})

    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    page = gzip.decompress(packed.content).decode()
    assert len(packed.content) < len(page) / 3
    assert 'id="action-1-1"' in page and page.rstrip().endswith("</html>")


def test_a_streamed_download_is_compressed_too(signed_in, small_plan):
    url = reverse("plan_csv", kwargs={"slug": "demo"})
    packed = signed_in.get(url, headers={"accept-encoding": "gzip"})

    assert packed["Content-Encoding"] == "gzip"
    rows = gzip.decompress(b"".join(packed.streaming_content)).decode("utf-8-sig")
    assert rows.startswith("Ref,Theme,Area")
    assert "Review the structure of SUSEG meetings." in rows
