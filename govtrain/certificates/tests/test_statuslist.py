"""The Bitstring Status List's encoding, checked against the specification's example."""

import pytest

from govtrain.certificates import statuslist

# Bitstring Status List v1.0, example "BitstringStatusListCredential": an empty list.
SPEC_EMPTY_LIST = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"


def test_an_empty_list_encodes_as_the_specification_shows() -> None:
    assert statuslist.encode(statuslist.empty()) == SPEC_EMPTY_LIST


def test_bits_set_and_cleared_survive_encoding_most_significant_bit_first() -> None:
    bits = statuslist.empty()
    for index in (0, 7, 8, 131_071):
        statuslist.set_bit(bits, index, True)
    statuslist.set_bit(bits, 7, False)

    decoded = statuslist.decode(statuslist.encode(bits))

    assert bits[0] == 0x80
    assert [statuslist.get_bit(decoded, i) for i in (0, 1, 7, 8, 131_071)] == [
        True,
        False,
        False,
        True,
        True,
    ]


@pytest.mark.parametrize(
    ("encoded", "reason"),
    [
        ("zAAAA", "base64url"),
        ("uAAAA", "GZIP"),
        (statuslist.encode(bytes(8)), "shorter"),
    ],
)
def test_a_malformed_list_is_refused(encoded: str, reason: str) -> None:
    with pytest.raises(statuslist.StatusListError, match=reason):
        statuslist.decode(encoded)


def test_an_index_outside_the_list_is_refused() -> None:
    with pytest.raises(statuslist.StatusListError, match="outside"):
        statuslist.get_bit(statuslist.empty(), 131_072)
