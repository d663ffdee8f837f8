"""The product's word lists, each defined once: the models, the rules, the forms, the importer and
the pages take them from here. docs/glossary.md says what each word means and where it shows.

Codes are stored in the database and used in text keys (``role.rep``, ``funnel.stage.proposal``);
the words a person reads come from the catalogues in core/texts.
"""
from __future__ import annotations

# ---- people and organisation (SPEC §1) ----
DIRECTOR, LEAD, REP, FINANCE, ADMIN, STAFF = "director", "lead", "rep", "finance", "admin", "service"
ROLES = (DIRECTOR, LEAD, REP, FINANCE, ADMIN, STAFF)  # STAFF: a department's staff (协同部门), stored as "service"
ALL_TEAMS_ROLES = (DIRECTOR, FINANCE, ADMIN)  # see every team's rows
DEPARTMENTS = ("marketing", "support", "delivery")  # the departments sales asks for help
LANGUAGES = {"zh": "简体中文", "en": "English"}  # a person's language, and an article's

# ---- customers and leads (SPEC §2, §3) ----
GRADES = ("A", "B", "C")
LEAD_STATUSES = ("new", "contacted", "qualified", "converted", "lost")
OPEN_LEAD_STATUSES = ("new", "contacted", "qualified")  # still worked; an unowned one waits in the pool
SIZES = ("small", "medium", "large")  # a customer's (or lead's) size
HEATS = ("hot", "warm", "cold")  # a customer's heat tag
CONTACT_KINDS = ("call", "visit", "message", "demo")  # activities that count as contacting a lead
LEAD_LOG_KINDS = ("call", "visit", "message", "proposal", "demo")  # what a rep logs on a lead from the inbox
CONTACT_OUTCOMES = ("follow_up", "qualified", "lost")  # how a logged contact leaves the lead

# ---- deals (SPEC §4) ----
STAGES = ("initial_contact", "needs_confirmed", "proposal", "negotiation", "contract_signed")
WON, LOST = "won", "lost"
OUTCOMES = (WON, LOST)  # how a deal closes
OPPORTUNITY_STATUSES = ("open", WON, LOST)

# ---- process capture (SPEC §5) ----
ACTIVITY_KINDS = (
    "call", "visit", "demo", "proposal", "promotion", "objection", "solution_update",
    "needs_summary", "promotion_evidence", "renewal", "complaint", "message",
)
OBJECTION_CATEGORIES = ("price", "delivery", "service", "integration", "budget", "competitor", "other")
ATTACHMENT_CATEGORIES = ("photo", "voice", "document")

# ---- people (SPEC §8) ----
DIMENSIONS = ("opportunity_discovery", "solution_presentation", "negotiation_closing", "relationship_care")
SCENARIO_TAGS = ("first_visit", "needs_discovery", "demo", "proposal", "price_objection", "competitor",
                 "closing", "collection", "relationship", "complaint")  # a knowledge article's scenario
ARTICLE_LANGUAGES = tuple(LANGUAGES)
TARGET_KINDS = ("signed_amount", "collections", "effective_visits")
CONTRACT_STATUSES = ("active", "completed", "cancelled")
SCORES = (1, 2, 3, 4, 5)  # capability scores and coaching ratings

# ---- cash and data quality (SPEC §7) ----
AGEING_BUCKETS = ((0, 30), (31, 60), (61, 90), (91, None))  # days overdue, both ends included
QUALITY_RULES = ("tax_id_conflict", "order_after_shipment", "overpaid", "duplicate_customer", "missing_fields",
                 "late_logging")
FINDING_STATUSES = ("open", "fixed", "ignored")

# ---- the alert store ----
ALERT_SEVERITIES = ("info", "warning", "critical")  # least grave first
ALERT_STATUSES = ("open", "acknowledged", "resolved")
# how grave each job's finding is, unless the job says otherwise
ALERT_KIND_SEVERITY = {
    "lead_escalation": "critical",  # an SLA breach: a lead not contacted in time
    "lead_unrouted": "warning", "lead_pooled": "info", "lead_reassigned": "info",
    "stalled_deal": "warning", "conversion_drop": "critical", "team_low_rate": "critical",
    "quality_finding": "warning", "target_intervention": "warning",
}
