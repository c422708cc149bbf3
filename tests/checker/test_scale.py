"""What keeps a long document linear: the values the judge remembers are found by size, not by a scan."""

from hypothesis import given, settings
from hypothesis import strategies as st

from exactml.checker import check
from exactml.checker.judge import _Values

magnitudes = st.sampled_from([1e-6, 1e-2, 1.0, 1e3, 1e9, 1e14])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.floats(-1, 1), magnitudes, st.integers(0, 6)), max_size=60),
    st.lists(st.tuples(st.integers(0, 59), st.integers(0, 12), st.floats(-1, 1)), max_size=20),
)
def test_values_near_a_decimal_are_those_a_scan_finds(values, queries):
    index, plain = _Values(), []
    for x, scale, places in values:
        x = round(x * scale, places)
        index.append(x)
        plain.append(x)
    for which, places, shift in queries:
        if not plain:
            break
        v = abs(round(plain[which % len(plain)] + shift * 10.0**-places, places))
        half = 0.5 * 10.0**-places
        tiny = half * 1e-9
        scan = any(tiny < abs(abs(x) - v) <= half + tiny for x in plain)  # the judge's rule, value by value
        found = any(tiny < abs(y - v) <= half + tiny for y in index.near(v, half + tiny, places))
        assert found == scan


def test_a_decimal_is_a_rounding_of_an_earlier_value_among_many():
    # 3,000 values met, then 1/7 written to three places: recognised as a rounding, not taken at face value
    lines = [f"$a_{{{k}}} = {k} + {k} = {2 * k}$" for k in range(3_000)]
    text = "\n\n".join(lines + ["$b = \\frac{1}{7}$", "$7 \\times 0.143 = 1$", "$2 \\times 0.143 = 0.2$"])
    claims = check(text).claims
    assert [c.status for c in claims[-2:]] == ["ok", "wrong"]
