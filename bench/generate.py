"""Generate a realistic, deterministic portfolio of plans for benchmarks.

Usable as a module::

    from generate import generate, TODAY
    paths = generate(Path("site/plans"), plans=2000, seed=1)   # also writes site/people.yml

and as a script::

    python bench/generate.py OUT_DIR --plans N [--seed S] [--size full|small] [--people FILE] [--clean]

Layout: the N plan files `<slug>.md` go into OUT_DIR; the people file goes to `OUT_DIR/../people.yml`
(the parent of the plans folder, like a site's `people.yml` next to its `plans/`), or to `--people FILE`.
The people file lists 30 names; every plan owner, team member and commitment owner is one of them.

Every plan of `--size full` (the default) is the largest plan that still fits one page: 5 CSFs,
10 conditions, 12 obstacles, 24 commitments. Titles are 40-100 characters built from small vocabularies;
the goal has baseline/target/current/unit; there are a team, tags (region, segment), a `reviewed` date and
a notes paragraph. `--size small` (2 CSFs, 4 conditions, 3 obstacles, 5 commitments) is for quick tries.

Statuses: about 80 % of plans are active, 12 % draft, 8 % archived. Commitments are open, doing, done or
dropped, due between 100 days before and 220 days after TODAY (2026-11-28), so some are overdue.

Guarantees, checked against the contract (docs: /work/shared/PLAN-FORMAT.md):

- every plan is valid (no PF0xx error with the people file) and no two plans share an account or a slug;
- every active and archived plan has a complete chain: each CSF has at least 2 conditions (one condition
  serves two CSFs, so with 10 conditions one CSF has 3), 2-3 conditions are `met: true` and have no
  obstacle, every unmet condition has at least one obstacle, every obstacle has at least one live
  commitment, and one live commitment overcomes two obstacles; about half the plans also have an obstacle
  that prevents two conditions;
- a draft plan is unfinished the realistic way: with probability 1/2 all commitments of one obstacle are
  dropped (PF032, reported as info for drafts), so `planfolio check` of a generated portfolio exits 0;
- info findings occur naturally: overdue commitments (PF200) and old reviews (PF201).

Output is a pure function of (plans, seed, size): plan i depends only on (seed, i) and on the accounts of
plans 0..i-1, so the first 2,000 plans of a 10,000-plan portfolio are the 2,000-plan portfolio.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))
from planfolio.core.publish.slug import slug as slug_of  # noqa: E402  - file names as `planfolio new` makes them

TODAY = date(2026, 11, 28)

PEOPLE = (
    "Ana Souza", "Dana Kim", "Hannah Novak", "Ingrid Halvorsen", "Jürgen Weiß", "Kenji Watanabe",
    "Léa Martin", "Luis Ortega", "Marcus Reid", "Mia Chen", "Omar Haddad", "Priya Raman",
    "Sofia Lindqvist", "Tom Becker", "Aisha Bello", "Bruno Costa", "Chloé Dubois", "David Okafor",
    "Elena Petrova", "Felix Wagner", "Grace O'Neill", "Hiroshi Tanaka", "Isabel Romero", "Jakub Nowak",
    "Karin Svensson", "Liam Murphy", "Mateo García", "Nina Kowalski", "Oskar Lund", "Rachel Stein",
)


@dataclass(frozen=True)
class Size:
    csfs: int
    conditions: int
    obstacles: int
    commitments: int


SIZES = {"full": Size(5, 10, 12, 24), "small": Size(2, 4, 3, 5)}

# -- vocabularies ------------------------------------------------------------------------------------

ROOTS = (
    "Nordwerk", "Havbris", "Helvion", "Kestrel", "Vantor", "Tasman", "Bergmann", "Mercado", "Alder",
    "Brightwater", "Caldera", "Corvid", "Delmar", "Elbrook", "Fenwick", "Granite", "Halcyon", "Ivory",
    "Juniper", "Kaldor", "Lumen", "Marlow", "Norrland", "Orion", "Pellworm", "Quillon", "Redwood",
    "Saltire", "Tamsin", "Umbra", "Valen", "Westmark", "Yardley", "Zephyr", "Aurora", "Boreal", "Cobalt",
    "Dunmore", "Ember", "Falkner", "Galloway", "Harlow", "Isenbach", "Jadeport", "Kiruna", "Larchmont",
    "Meridian", "Neckar", "Oakhurst", "Piedmont", "Rheinfeld", "Sorrento", "Thornbury", "Uppland",
    "Vistula", "Wexford", "Altmark", "Bristlecone", "Castellan", "Drava",
)
SECTORS = (
    ("Logistics", "logistics"), ("Energy", "energy"), ("Pharma", "pharma"), ("Cloud Systems", "technology"),
    ("Automotive Systems", "automotive"), ("Fresh Foods", "food"), ("Manufacturing", "manufacturing"),
    ("Health", "healthcare"), ("Retail", "retail"), ("Chemicals", "chemicals"), ("Packaging", "manufacturing"),
    ("Aerospace", "aerospace"), ("Rail", "transport"), ("Telecom", "telecom"), ("Water", "utilities"),
    ("Steel", "metals"), ("Textiles", "manufacturing"), ("Medical Devices", "healthcare"), ("Foods", "food"),
    ("Paper", "manufacturing"), ("Mining", "mining"), ("Insurance", "finance"), ("Bank", "finance"),
    ("Utilities", "utilities"), ("Semiconductors", "technology"), ("Furniture", "retail"),
    ("Robotics", "automotive"), ("Hydraulics", "manufacturing"), ("Agritech", "food"), ("County Council", "public-sector"),
)
LEGAL_FORMS = ("", "GmbH", "AG", "Ltd", "plc", "S.A.", "SpA", "AB", "Oy", "Inc.", "B.V.", "A/S")
REGIONS = (
    ("dach", ("Zwickau", "Heilbronn", "Kassel", "Ulm", "Linz", "Basel")),
    ("nordics", ("Gothenburg", "Tampere", "Aarhus", "Bergen", "Malmö", "Oulu")),
    ("uk-ireland", ("Leeds", "Bristol", "Cork", "Derby", "Glasgow", "Swindon")),
    ("benelux", ("Eindhoven", "Ghent", "Rotterdam", "Liège", "Utrecht", "Breda")),
    ("france", ("Lyon", "Lille", "Toulouse", "Nantes", "Grenoble", "Rennes")),
    ("iberia", ("Porto", "Valencia", "Zaragoza", "Bilbao", "Braga", "Seville")),
    ("italy", ("Turin", "Bologna", "Brescia", "Verona", "Bergamo", "Padua")),
    ("cee", ("Wrocław", "Brno", "Győr", "Poznań", "Kosice", "Cluj")),
    ("north-america", ("Columbus", "Monterrey", "Ontario", "Charlotte", "Tulsa", "Reno")),
    ("apac", ("Penang", "Osaka", "Pune", "Melbourne", "Suzhou", "Busan")),
)
REGION_NAMES = {
    "dach": "DACH", "nordics": "the Nordics", "uk-ireland": "the UK and Ireland", "benelux": "Benelux",
    "france": "France", "iberia": "Iberia", "italy": "Italy", "cee": "Central Europe",
    "north-america": "North America", "apac": "APAC",
}
CURRENCIES = ("EUR", "EUR", "EUR", "USD", "GBP", "SEK")
OFFERINGS = (
    "servo platform", "condition-monitoring retrofit", "drive systems", "edge gateways", "MES connector",
    "cold-chain sensors", "spare-parts service", "fleet telematics", "safety controllers",
    "predictive maintenance suite", "packaging line modules", "energy analytics", "hydraulic power units",
)
SITES = ("plant", "gearbox line", "distribution centre", "packaging hall", "assembly line", "campus", "warehouse")
ROLES = (
    "plant engineering", "the lead engineer", "the maintenance lead", "the head of operations",
    "the category manager", "the quality director", "the plant manager", "central procurement",
    "the CIO", "the sustainability officer", "the supply chain director",
)
EXECS = ("CPO", "CFO", "COO", "CTO", "head of procurement", "managing director")
OUR_EXECS = ("CFO", "COO", "CEO", "head of service", "product director", "regional VP")
DEPARTMENTS = ("IT security", "central IT", "procurement", "legal", "quality assurance", "the works council", "finance")
COMPETITORS = ("competitor X", "a local integrator", "the incumbent supplier", "an Asian supplier", "a low-cost entrant")
PRICING = (
    ("index-linked pricing", "a fixed 3 % annual discount"),
    ("a three-year price corridor", "yearly tenders"),
    ("outcome-based pricing", "per-unit prices"),
    ("a service subscription", "time-and-material billing"),
)
BENEFITS = ("downtime reduction", "energy savings", "scrap reduction", "faster changeovers", "fewer service calls")
THINGS = ("gateways", "firmware update process", "cloud hosting", "data-processing agreement", "remote access tool")
DOCS = (
    "the IEC 62443 certificate", "the pen-test summary", "a signed data-processing agreement",
    "the reference list for the sector", "the total-cost-of-ownership model", "the rollout plan",
)
TOPICS = ("signed firmware updates", "spare-parts logistics", "the rollout schedule", "the service levels", "data ownership")
QUARTERS = ("Q1", "Q2", "Q3", "Q4")
PROGRAMS = ("capacity expansion", "automation programme", "modernisation tender", "digital plant initiative")
QUALIFIERS = (
    "before the {quarter} budget round", "ahead of the {year} tender", "at the {city} site",
    "with written confirmation", "for the whole group", "including the service scope",
)

CSF_TEMPLATES = (
    "{Offering} chosen as the standard for the new {site} in {city}",
    "Preferred supplier for the new {site} in {city}",
    "Frame agreement renewed for {year}-{year2} without a second source",
    "{Offering} rolled out to all {n} existing {site}s",
    "Named on the shortlist for the {year} {program}",
    "Service contract renewed on multi-year terms",
    "{Offering} pilot in {city} converted into a group-wide order",
)
CONDITION_TEMPLATES = (
    "{Role} specifies our {offering} for the {site} in {city}",
    "Procurement accepts {pricing} instead of {pricing_alt}",
    "{Role} sees measurable {benefit} from the {city} pilot",
    "{Department} approves our {thing} on the plant network",
    "On-time delivery above {pct} % for the last 12 months",
    "Service quality rated good by {role}",
    "{Offering} listed in the approved-vendor catalogue",
    "Budget for the {program} released by the {exec}",
)
OBSTACLE_TEMPLATES = (
    "{Role} prefers {competitor} after the {city} project",
    "Budget for new suppliers frozen until {quarter} {year}",
    "New {exec} benchmarks us against a supplier quoting {pct} % lower",
    "{Department} has not reviewed our {thing} yet",
    "No reference customer for our {offering} in the region",
    "Open quality complaint from the {city} {site} still unresolved",
    "{Role} was not involved in the last business review",
    "Our delivery times slipped to {n} weeks in {quarter}",
)
COMMITMENT_TEMPLATES = (
    "Reference visit to the {city} plant with {role}",
    "Total-cost-of-ownership case signed off by our {our_exec}",
    "Workshop with {department} on {topic}",
    "Hand over {doc} to {department}",
    "Executive meeting between our {our_exec} and the {exec}",
    "Pilot report with measured {benefit} sent to {role}",
    "Price proposal with {pricing} tied to a {n}-year commitment",
    "Close the 8D report on the {city} complaint with {role}",
    "Secure buffer stock for the {offering} at the {city} hub",
)
ITEM_NOTES = (
    "Agreed in the last business review; see the meeting minutes in the CRM.",
    "Depends on the customer's budget cycle; confirm the date at the next review.",
    "The pilot report of {month} {year0} has the numbers.",
    "Raised by {role} in the steering committee.",
    "Watch: the {exec} changes in {quarter}.",
)
NOTE_SENTENCES = (
    "**Context:** {account} runs {n} sites in {region_name}; the {site} in {city} is the biggest single opportunity.",
    "The {exec} joined this year and reviews every supplier against a {pct} % savings target.",
    "Our share of wallet is about {share} %; {competitor} holds most of the rest.",
    "The {program} is expected to be approved in {quarter} {year}.",
    "Last quarter's business review went well; the open quality topic in {city} is the main risk.",
)


_PLAIN = re.compile(r"[A-Za-z0-9][^\n\"#:{}\[\],]*[^\s:]")
_YAML_WORDS = frozenset(("y", "n", "yes", "no", "on", "off", "true", "false", "null"))


def scalar(text: str) -> str:
    """The text as a YAML scalar: plain where that keeps it text, else double-quoted (JSON is valid YAML)."""
    if _PLAIN.fullmatch(text) and text.lower() not in _YAML_WORDS and not re.fullmatch(r"[\d._eE+-]+", text):
        return text
    return json.dumps(text, ensure_ascii=False)


def references(ids: list[str]) -> str:
    """One id as a plain scalar, several as a flow list: `NC1`, `[NC1, NC2]`."""
    return ids[0] if len(ids) == 1 else "[" + ", ".join(ids) + "]"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


class _PlanWriter:
    def __init__(self, rng: random.Random, account: str, region: str, cities: tuple[str, ...], segment: str, size: Size) -> None:
        self.rng = rng
        self.account = account
        self.short = account.split()[0]
        self.region = region
        self.cities = cities
        self.segment = segment
        self.size = size

    # -- texts --------------------------------------------------------------------------------------

    def _fill(self, template: str) -> str:
        rng = self.rng
        pricing = rng.choice(PRICING)
        year = rng.choice((2027, 2027, 2028))
        values = {
            "offering": rng.choice(OFFERINGS), "site": rng.choice(SITES), "city": rng.choice(self.cities),
            "year": year, "year2": year + 2, "year0": 2026, "n": rng.randint(2, 6), "program": rng.choice(PROGRAMS),
            "role": rng.choice(ROLES), "pricing": pricing[0], "pricing_alt": pricing[1],
            "benefit": rng.choice(BENEFITS), "department": rng.choice(DEPARTMENTS), "thing": rng.choice(THINGS),
            "pct": rng.choice((5, 8, 10, 12, 15, 95, 97, 98)), "exec": rng.choice(EXECS), "competitor": rng.choice(COMPETITORS),
            "quarter": rng.choice(QUARTERS), "our_exec": rng.choice(OUR_EXECS), "doc": rng.choice(DOCS),
            "topic": rng.choice(TOPICS), "month": rng.choice(("March", "June", "September")),
            "account": self.account, "region_name": REGION_NAMES[self.region],
            "share": rng.randint(10, 60),
        }
        values.update({key[:1].upper() + key[1:]: _capital(str(value)) for key, value in list(values.items())})
        return template.format(**values)

    def title(self, templates: tuple[str, ...]) -> str:
        """A title of 40-100 characters."""
        while True:
            text = self._fill(self.rng.choice(templates))
            while len(text) < 40:
                text += " " + self._fill(self.rng.choice(QUALIFIERS))
            if len(text) <= 100:
                return _capital(text)

    def maybe_note(self, indent: str, chance: float = 0.15) -> list[str]:
        if self.rng.random() >= chance:
            return []
        return [f"{indent}note: {scalar(self._fill(self.rng.choice(ITEM_NOTES)))}"]

    # -- the plan -----------------------------------------------------------------------------------

    def write(self, status: str, period: int) -> str:
        rng, size = self.rng, self.size
        owner = rng.choice(PEOPLE)
        team = rng.sample([person for person in PEOPLE if person != owner], rng.randint(2, 4))
        people = [owner, *team]
        currency = rng.choice(CURRENCIES)
        baseline = round(rng.uniform(0.5, 12.0), 1)
        target = round(baseline * rng.uniform(1.1, 1.8), 1)
        current = round(baseline + (target - baseline) * rng.uniform(-0.1, 0.7), 1)
        if status == "archived":
            reviewed: date | None = TODAY - timedelta(days=rng.randint(120, 400))
        elif status == "draft" and rng.random() < 0.3:
            reviewed = None
        else:
            reviewed = TODAY - timedelta(days=rng.randint(0, 120))  # > 90 days: PF201 info

        lines = [
            "---",
            f"account: {scalar(self.account)}",
            f"owner: {scalar(owner)}",
            f"team: [{', '.join(scalar(person) for person in team)}]",
            f"period: FY{period}",
            f"status: {status}",
        ]
        if reviewed is not None:
            lines.append(f"reviewed: {reviewed.isoformat()}")
        lines += [
            f"tags: [{self.region}, {self.segment}]",
            "goal:",
            f"  statement: Grow {scalar(self.short)} revenue from {currency} {baseline} M to {currency} {target} M in FY{period}",
            f"  due: {period}-12-31",
            f"  baseline: {baseline}",
            f"  target: {target}",
            f"  current: {current}",
            f"  unit: {currency} M",
        ]

        # CSFs and the conditions each needs: at least 2 per CSF; one condition serves two CSFs.
        csf_ids = [f"CSF{i}" for i in range(1, size.csfs + 1)]
        condition_ids = [f"NC{i}" for i in range(1, size.conditions + 1)]
        csfs_of = {nc: [csf_ids[min(i * size.csfs // size.conditions, size.csfs - 1)]] for i, nc in enumerate(condition_ids)}
        shared = rng.randrange(size.conditions - 1)
        other = [csf for csf in csf_ids if csf not in csfs_of[condition_ids[shared]]]
        csfs_of[condition_ids[shared]].append(rng.choice(other))
        met_count = min(rng.choice((2, 2, 3)), max(size.conditions - size.obstacles, size.conditions // 3))
        met = set(rng.sample(condition_ids, met_count))
        unmet = [nc for nc in condition_ids if nc not in met]

        # Obstacles: every unmet condition has one; the rest go to random unmet conditions.
        obstacle_ids = [f"OB{i}" for i in range(1, size.obstacles + 1)]
        targets = unmet + [rng.choice(unmet) for _ in range(size.obstacles - len(unmet))]
        rng.shuffle(targets)
        conditions_of = {ob: [nc] for ob, nc in zip(obstacle_ids, targets)}
        if len(unmet) > 1 and rng.random() < 0.5:  # one obstacle prevents two conditions
            ob = rng.choice(obstacle_ids)
            conditions_of[ob].append(rng.choice([nc for nc in unmet if nc not in conditions_of[ob]]))
        obstacle_ids.sort(key=lambda ob: condition_ids.index(conditions_of[ob][0]))
        renumber = {ob: f"OB{i}" for i, ob in enumerate(obstacle_ids, 1)}
        conditions_of = {renumber[ob]: ncs for ob, ncs in conditions_of.items()}
        obstacle_ids = [renumber[ob] for ob in obstacle_ids]

        # Commitments: one live "anchor" per obstacle, the rest spread; one anchor overcomes two obstacles.
        commitments: list[dict[str, object]] = []
        for ob in obstacle_ids:
            commitments.append({"obstacles": [ob], "status": rng.choices(("open", "doing", "done"), (45, 30, 25))[0]})
        for _ in range(size.commitments - len(obstacle_ids)):
            state = rng.choices(("open", "doing", "done", "dropped"), (35, 25, 25, 15))[0]
            commitments.append({"obstacles": [rng.choice(obstacle_ids)], "status": state})
        if len(obstacle_ids) > 1:
            double = rng.randrange(len(obstacle_ids))
            second = rng.choice([ob for ob in obstacle_ids if ob != obstacle_ids[double]])
            commitments[double]["obstacles"].append(second)  # type: ignore[union-attr]
        if status == "draft" and rng.random() < 0.5:  # unfinished: one obstacle has no live commitment
            ob = rng.choice(obstacle_ids)
            for commitment in commitments:
                if ob in commitment["obstacles"]:  # type: ignore[operator]
                    commitment["status"] = "dropped"
        if status == "archived":
            for commitment in commitments:
                if commitment["status"] in ("open", "doing"):
                    commitment["status"] = rng.choice(("done", "done", "dropped", "open"))
            # keep every obstacle with a live commitment
            for ob in obstacle_ids:
                if not any(ob in c["obstacles"] and c["status"] != "dropped" for c in commitments):  # type: ignore[operator]
                    next(c for c in commitments if ob in c["obstacles"])["status"] = "done"  # type: ignore[operator]
        for commitment in commitments:
            due = TODAY + timedelta(days=rng.randint(-100, 220))
            commitment["due"] = due
            if commitment["status"] == "done" and rng.random() < 0.8:
                commitment["completed"] = min(due, TODAY - timedelta(days=1)) - timedelta(days=rng.randint(0, 14))
        commitments.sort(key=lambda c: (obstacle_ids.index(c["obstacles"][0]), c["due"]))  # type: ignore[index]

        lines.append("csfs:")
        for csf in csf_ids:
            lines += [f"  - id: {csf}", f"    title: {scalar(self.title(CSF_TEMPLATES))}", *self.maybe_note("    ", 0.1)]
        lines.append("conditions:")
        for nc in condition_ids:
            refs = csfs_of[nc]
            lines += [
                f"  - id: {nc}",
                f"    title: {scalar(self.title(CONDITION_TEMPLATES))}",
                f"    csf: {references(refs)}",
            ]
            if nc in met:
                lines.append("    met: true")
            lines += self.maybe_note("    ")
        lines.append("obstacles:")
        for ob in obstacle_ids:
            refs = conditions_of[ob]
            lines += [
                f"  - id: {ob}",
                f"    title: {scalar(self.title(OBSTACLE_TEMPLATES))}",
                f"    condition: {references(refs)}",
                *self.maybe_note("    "),
            ]
        lines.append("commitments:")
        for number, commitment in enumerate(commitments, 1):
            refs = commitment["obstacles"]
            lines += [
                f"  - id: C{number}",
                f"    title: {scalar(self.title(COMMITMENT_TEMPLATES))}",
                f"    obstacle: {references(refs)}",  # type: ignore[index,arg-type]
                f"    owner: {scalar(rng.choice(people))}",
                f"    due: {commitment['due']}",
            ]
            if commitment["status"] != "open" or rng.random() < 0.3:
                lines.append(f"    status: {commitment['status']}")
            if "completed" in commitment:
                lines.append(f"    completed: {commitment['completed']}")
            if rng.random() < 0.3:
                lines.append(f"    link: https://crm.example.com/tasks/{rng.randint(10000, 99999)}")
            lines += self.maybe_note("    ", 0.1)
        lines += ["---", ""]
        sentences = rng.sample(NOTE_SENTENCES, rng.randint(2, 4))
        lines.append(" ".join(self._fill(sentence) for sentence in sentences))
        risk = self._fill(rng.choice(OBSTACLE_TEMPLATES))
        lines += [
            "",
            f"- Next review: {(TODAY + timedelta(days=rng.randint(14, 60))).isoformat()}, with {rng.choice(ROLES)}.",
            f"- Risk: {risk[:1].lower() + risk[1:] if risk[1:2].islower() else risk}.",
            "",
        ]
        return "\n".join(lines)


def _accounts(seed: int):
    """Unique (account, slug, sector segment) triples, deterministic for a seed."""
    rng = random.Random(f"accounts-{seed}")
    seen_accounts: set[str] = set()
    seen_slugs: set[str] = set()
    serial = 0
    while True:
        for _attempt in range(50):
            root, (sector, segment), legal = rng.choice(ROOTS), rng.choice(SECTORS), rng.choice(LEGAL_FORMS)
            account = " ".join(part for part in (root, sector, legal) if part)
            slug = slug_of(account)
            if account not in seen_accounts and slug not in seen_slugs:
                break
        else:  # the vocabulary is used up: number the accounts
            serial += 1
            account = f"{root} {sector} {serial}"
            slug = slug_of(account)
        seen_accounts.add(account)
        seen_slugs.add(slug)
        yield account, slug, segment


def write_people(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["# Everyone who may own a plan or a commitment, or sit on an account team (generated)."]
    lines += [f"- {scalar(person)}" for person in PEOPLE]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def plan_text(index: int, account: str, segment: str, seed: int = 1, size: str = "full") -> str:
    """The text of plan number `index` (0-based) of a portfolio."""
    rng = random.Random(f"plan-{seed}-{index}")
    region, cities = rng.choice(REGIONS)
    status = rng.choices(("active", "draft", "archived"), (80, 12, 8))[0]
    period = 2026 if status == "archived" else rng.choice((2026, 2027, 2027, 2027, 2028))
    return _PlanWriter(rng, account, region, cities, segment, SIZES[size]).write(status, period)


def generate(
    out_dir: Path, plans: int, seed: int = 1, *, size: str = "full", people: Path | None = None, clean: bool = False
) -> list[Path]:
    """Write `plans` plan files into `out_dir` and the people file (default `out_dir/../people.yml`).

    Returns the plan files' paths in the order generated. With `clean`, `*.md` files already in `out_dir`
    are removed first (so a smaller portfolio does not inherit plans of a bigger one).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if clean:
        for old in out_dir.glob("*.md"):
            old.unlink()
    write_people(people if people is not None else out_dir.parent / "people.yml")
    paths = []
    accounts = _accounts(seed)
    for index in range(plans):
        account, slug, segment = next(accounts)
        path = out_dir / f"{slug}.md"
        path.write_text(plan_text(index, account, segment, seed, size), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR", help="the plans folder to write into")
    parser.add_argument("--plans", type=int, required=True, help="how many plan files")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--size", choices=sorted(SIZES), default="full", help="full: 5 CSFs, 10 conditions, 12 obstacles, 24 commitments")
    parser.add_argument("--people", type=Path, help="where to write the people file (default: OUT_DIR/../people.yml)")
    parser.add_argument("--clean", action="store_true", help="remove *.md files already in OUT_DIR first")
    arguments = parser.parse_args(argv)
    paths = generate(arguments.out_dir, arguments.plans, arguments.seed, size=arguments.size, people=arguments.people, clean=arguments.clean)
    people = arguments.people or arguments.out_dir.parent / "people.yml"
    print(f"wrote {len(paths)} plans to {arguments.out_dir} and the people file {people}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
