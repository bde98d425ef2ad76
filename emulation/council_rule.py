"""The rule a council's secret ballot is decided by, and its quorum: pure arithmetic on whole
numbers (no ORM), so "2/3" is exactly two thirds and the text published with a tally says the
rule as it was applied.

A case passes when the "yes" ballots are more than (or, not strict, at least) the share of the
base: every member of the council, or the members present, in both cases leaving out a member
who may not vote on the case (their own).
"""

from __future__ import annotations

from dataclasses import dataclass

MEMBERS = "members"
PRESENT = "present"
_BASE_NAMES = {
    MEMBERS: "tổng số thành viên Hội đồng",
    PRESENT: "số thành viên có mặt",
}


def share_text(numerator: int, denominator: int) -> str:
    """1/2 → "1/2"; 70/100 → "70%"."""
    if denominator == 100:
        return f"{numerator}%"
    return f"{numerator}/{denominator}"


@dataclass(frozen=True)
class PassRule:
    numerator: int
    denominator: int
    strict: bool  # more than the share (quá bán); else at least the share
    base: str  # MEMBERS or PRESENT

    def passes(self, yes: int, base: int) -> bool:
        if base <= 0 or self.denominator <= 0:
            return False
        left, right = yes * self.denominator, self.numerator * base
        return left > right if self.strict else left >= right

    def needed(self, base: int) -> int:
        """The fewest "yes" ballots that pass with this base."""
        if base <= 0 or self.denominator <= 0:
            return 0
        product = self.numerator * base
        fewest = -(-product // self.denominator)  # ceiling
        if self.strict and fewest * self.denominator == product:
            fewest += 1
        return fewest

    def base_of(self, *, members: int, present: int) -> int:
        return present if self.base == PRESENT else members

    @property
    def text(self) -> str:
        """ "trên 1/2 tổng số thành viên Hội đồng" / "từ 2/3 số thành viên có mặt trở lên"."""
        share = share_text(self.numerator, self.denominator)
        base = _BASE_NAMES.get(self.base, self.base)
        if self.strict:
            return f"trên {share} {base}"
        return f"từ {share} {base} trở lên"

    def as_dict(self) -> dict[str, object]:
        return {
            "numerator": self.numerator,
            "denominator": self.denominator,
            "strict": self.strict,
            "base": self.base,
        }


@dataclass(frozen=True)
class Quorum:
    numerator: int
    denominator: int

    def reached(self, present: int, members: int) -> bool:
        return members > 0 and present * self.denominator >= self.numerator * members

    def needed(self, members: int) -> int:
        return -(-self.numerator * members // self.denominator) if self.denominator else 0

    @property
    def text(self) -> str:
        return f"ít nhất {share_text(self.numerator, self.denominator)} số thành viên có mặt"
