from hypothesis import given
from hypothesis import strategies as st

from kinerja_desktop.store.hlc import HybridClock, Timestamp


def test_format_is_sortable_text():
    c = HybridClock("1504-A-XXXX", wall=lambda: 1_700_000_000_000)
    a, b = c.now(), c.now()
    assert a < b
    assert Timestamp.parse(a) == Timestamp(1_700_000_000_000, 0, "1504-A-XXXX")
    assert Timestamp.parse(b).counter == 1


def test_a_clock_behind_cannot_reorder_history():
    remote = HybridClock("REMOTE", wall=lambda: 2_000_000_000_000).now()
    local = HybridClock("LOCAL", wall=lambda: 1_000_000_000_000)  # a PC whose clock is wrong
    local.observe(remote)
    assert local.now() > remote
    assert local.clock_behind_ms() == 1_000_000_000_000


@given(st.lists(st.integers(min_value=0, max_value=10**12), min_size=1, max_size=50))
def test_monotonic_whatever_the_wall_clock_does(walls):
    it = iter(walls)
    last_wall = [0]

    def wall():
        try:
            last_wall[0] = next(it)
        except StopIteration:
            pass
        return last_wall[0]

    c = HybridClock("S", wall=wall)
    stamps = [c.now() for _ in walls]
    assert stamps == sorted(stamps)
    assert len(set(stamps)) == len(stamps)
