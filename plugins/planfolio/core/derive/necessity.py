"""The necessity reading of a plan: its chain read upwards as sentences, for deep reviews."""

from __future__ import annotations

from datetime import date

from .chain import Chain


def long_date(value: date | None) -> str:
    return f"{value.day} {value:%b %Y}" if value else "no date"


def reading(chain: Chain) -> list[list[str]]:
    """One paragraph per CSF: goal <- CSF, CSF <- conditions, condition <- obstacles <- commitments."""
    plan = chain.plan
    goal = plan.goal.statement or plan.account
    paragraphs = []
    for csf in plan.csfs:
        sentences = [f"In order to reach “{goal}” we must have “{csf.title}”."]
        for condition in chain.conditions_of[csf.id]:
            ending = " (already in place)." if condition.met else "."
            sentences.append(f"In order to have “{csf.title}” we must have “{condition.title}”{ending}")
            for obstacle in chain.obstacles_of[condition.id]:
                sentence = f"“{obstacle.title}” prevents “{condition.title}”"
                live = chain.live_commitments_of(obstacle)
                for index, commitment in enumerate(live):
                    verb = "delivered" if commitment.status == "done" else "commits to"
                    joint = "; so" if index == 0 else "; and"
                    sentence += f"{joint} {commitment.owner or 'nobody'} {verb} “{commitment.title}” by {long_date(commitment.due)}"
                sentences.append(sentence + ("." if live else "; nobody has committed to overcome it yet."))
        paragraphs.append(sentences)
    return paragraphs
