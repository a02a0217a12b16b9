"""The necessity reading of a plan: its chain read upwards as sentences, for deep reviews."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .chain import Chain

Part = tuple[str, str]  # (text, style): style "" for our words, "quote" for plan text, "name" for a person


@dataclass(frozen=True, slots=True)
class Sentence:
    parts: tuple[Part, ...]

    @property
    def text(self) -> str:
        return "".join(f"“{text}”" if style == "quote" else text for text, style in self.parts)


def long_date(value: date | None) -> str:
    return f"{value.day} {value:%b %Y}" if value else "no date"


def reading(chain: Chain) -> list[list[Sentence]]:
    """One paragraph per CSF: goal <- CSF, CSF <- conditions, condition <- obstacles <- commitments."""
    plan = chain.plan
    goal = plan.goal.statement or plan.account
    paragraphs = []
    for csf in plan.csfs:
        sentences = [Sentence((("In order to reach ", ""), (goal, "quote"), (" we must have ", ""), (csf.title, "quote"), (".", "")))]
        for condition in chain.conditions_of[csf.id]:
            ending = " (already in place)." if condition.met else "."
            sentences.append(
                Sentence((("In order to have ", ""), (csf.title, "quote"), (" we must have ", ""), (condition.title, "quote"), (ending, "")))
            )
            for obstacle in chain.obstacles_of[condition.id]:
                parts: list[Part] = [(obstacle.title, "quote"), (" prevents ", ""), (condition.title, "quote")]
                live = chain.live_commitments_of(obstacle)
                for index, commitment in enumerate(live):
                    verb = " delivered " if commitment.status == "done" else " commits to "
                    parts += [("; so " if index == 0 else "; and ", ""), (commitment.owner or "nobody", "name"), (verb, "")]
                    parts += [(commitment.title, "quote"), (f" by {long_date(commitment.due)}", "")]
                parts.append((".", "") if live else ("; nobody has committed to overcome it yet.", ""))
                sentences.append(Sentence(tuple(parts)))
        paragraphs.append(sentences)
    return paragraphs
