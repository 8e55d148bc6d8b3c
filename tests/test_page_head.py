"""The page Streamlit serves, with the dashboard's scripts in its <head> (dashboard/page_head.py).
The served page in a running server is checked in tests/test_browser_timeline.py."""
from __future__ import annotations

from streamlit import file_util

from dashboard import page_head


def test_scripts_go_right_after_the_head_tag_whatever_its_attributes():
    assert page_head.with_scripts('<html><HEAD lang="en"><title>t</title></HEAD>', "<script>1</script>") \
        == '<html><HEAD lang="en">\n<script>1</script>\n<title>t</title></HEAD>'
    # not a <header>, and no head at all: nothing to change
    assert page_head.with_scripts("<html><header>x</header><body></body>", "<script>1</script>") is None


def test_the_served_folder_is_streamlits_with_a_new_page(tmp_path, monkeypatch):
    source = tmp_path / "static"
    (source / "static" / "js").mkdir(parents=True)
    (source / "static" / "js" / "index.js").write_text("code")
    (source / "favicon.png").write_bytes(b"png")
    (source / "index.html").write_text("<html><head><script type=module src=x></script></head></html>")
    monkeypatch.setattr(file_util, "get_static_dir", lambda: str(source))
    folder = page_head.serve_with("<script>held</script>")
    assert folder is not None and file_util.get_static_dir() == str(folder)
    assert (folder / "index.html").read_text() == \
        "<html><head>\n<script>held</script>\n<script type=module src=x></script></head></html>"
    assert (folder / "static" / "js" / "index.js").read_text() == "code"
    assert (folder / "favicon.png").read_bytes() == b"png"
    assert (source / "index.html").read_text().startswith("<html><head><script type=module")   # untouched


def test_a_page_without_a_head_is_served_as_it_is(tmp_path, monkeypatch):
    (tmp_path / "index.html").write_text("<html><body>no head</body></html>")
    monkeypatch.setattr(file_util, "get_static_dir", lambda: str(tmp_path))
    assert page_head.serve_with("<script>held</script>") is None
    assert file_util.get_static_dir() == str(tmp_path)
    (tmp_path / "index.html").unlink()
    assert page_head.serve_with("<script>held</script>") is None     # no page at all


def test_a_folder_that_cannot_be_linked_leaves_streamlits_own_served(tmp_path, monkeypatch):
    # links that cannot be made (a file system without symbolic links, a full disk): the page is
    # served as it is rather than the server not starting, and the half-made folder is removed
    source = tmp_path / "static"
    source.mkdir()
    (source / "index.html").write_text("<html><head></head></html>")
    (source / "app.js").write_text("code")
    made = []

    def failing_symlink(target, link, target_is_directory=False):
        made.append(link)
        raise OSError(38, "links not supported here")

    monkeypatch.setattr(file_util, "get_static_dir", lambda: str(source))
    monkeypatch.setattr(page_head.os, "symlink", failing_symlink)
    assert page_head.serve_with("<script>held</script>") is None
    assert file_util.get_static_dir() == str(source)
    assert made and not made[0].parent.exists()
