"""A synthetic authority's case extract, in the shape of the Standard Safeguarding Dataset (SSD).

`generate_extract` writes one file per table of `frontdoor.schema.TABLES` (extension tables and
columns included) for a made-up authority whose front door looks like England's: contacts from the
police, schools and health in national proportions, about a third becoming referrals, re-referrals
and no-further-action at the national rates, assessment and conference timeliness near the DfE
figures, CP plans, reviews, visits, allocations, case notes and agency information requests.

It also carries the weaknesses an Ofsted inspection of the Borough of Poole found in 2010, so the
dashboard has something to find:

- Assessment Team C is short of staff: its referrals wait longer for allocation and its
  assessments take longer;
- some children in need are not seen for weeks, and some are never seen;
- unqualified workers (no social work registration number) hold cases and complete assessments;
- in some sibling groups only one child has an assessment;
- some allocated cases have no management oversight note at all;
- two workers record their case notes weeks late;
- Health answers information requests slowly and often not at all;
- children in need assessed by Team C wait weeks to move to the Children in Need team;
- police notifications made at the weekend are decided late;
- the child's views are missing from a share of assessments (more so in Team C).

The second-round tables (assessment factors, the voice of the child) and the weaknesses added
with them draw from a second random stream of the same seed, so the rest of the extract keeps
the draws it had.

Everything is vectorised with numpy from `numpy.random.default_rng(seed)` (and
`default_rng([seed, 13])` for the second round), so the same seed gives byte-identical files. The
extract is "taken" on `end`: nothing is dated after it, and what is still open then simply has no
end date. A large authority is built in parts of `CHUNK_CHILDREN` children, appended to the
files one after another (`write.py`); an extract of one part is what it always was.

Modules: `reference` (teams, national proportions, timescales, shares), `workdays` (the working-day
calendar), `arrays` (draws and Arrow columns), one module per group of tables (`episodes` the
referrals' timelines, `workforce`, `front_door`, `assessments`, `protection`, `casework`),
`extract` (a part, built table by table) and `write` (the parts written to files).
"""

from frontdoor.generate.write import CHUNK_CHILDREN, generate_extract

__all__ = ["CHUNK_CHILDREN", "generate_extract"]
