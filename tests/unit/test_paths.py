from kinerja_desktop import paths


def test_kinerja_home_puts_everything_under_one_folder(data_home):
    loc = paths.locations()
    assert loc.data == data_home.resolve()
    for folder in (loc.backups, loc.keys, loc.logs, loc.exports, loc.blobs):
        assert data_home.resolve() in folder.parents
    assert loc.database == data_home.resolve() / "kinerja.sqlite3"


def test_data_dir_option_overrides_environment(tmp_path, data_home):
    paths.set_data_dir(tmp_path / "portable")
    assert paths.locations().data == (tmp_path / "portable").resolve()


def test_default_without_override_uses_platform_dirs(monkeypatch):
    monkeypatch.delenv("KINERJA_HOME")
    loc = paths.locations()
    assert "KinerjaDesktop" in str(loc.data)


def test_keys_folder_is_owner_only(data_home):
    loc = paths.locations().ensure()
    assert (loc.keys.stat().st_mode & 0o777) == 0o700
