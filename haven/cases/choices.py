"""The value lists of a case: stages, first-contact points, exploitation types and the rest.

Exploitation types and gender follow the Human Trafficking Case Data Standard (HTCDS v2.0)
so that exports can be pooled; see docs/decisions/0101-case-value-lists.md.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    FIRST_CONTACT = "first_contact", _("First contact")
    SCREENING = "screening", _("Screening")
    REFERRED = "referred", _("Referred for identification")
    REASONABLE_GROUNDS = "reasonable_grounds", _("Reasonable grounds")
    RECOVERY_REFLECTION = "recovery_reflection", _("Recovery and reflection")
    CONCLUSIVE_GROUNDS = "conclusive_grounds", _("Conclusive grounds")
    ASSISTANCE = "assistance", _("Assistance and protection")
    DURABLE_SOLUTION = "durable_solution", _("Durable solution")
    CLOSED = "closed", _("Closed")


class FirstContact(models.TextChoices):
    RAID = "raid", _("Raid")
    LABOUR_INSPECTION = "labour_inspection", _("Labour inspection")
    HOTLINE = "hotline", _("Hotline")
    SELF_REFERRAL = "self_referral", _("Self-referral")
    OUTREACH = "outreach", _("Outreach")
    HEALTH_FACILITY = "health_facility", _("Health facility")
    BORDER = "border", _("Border")
    CUSTODY = "custody", _("Custody or detention")


class ExploitationType(models.TextChoices):
    SEXUAL = "sexual_exploitation", _("Sexual exploitation")
    FORCED_LABOUR = "forced_labour", _("Forced labour")
    DOMESTIC_SERVITUDE = "domestic_servitude", _("Domestic servitude")
    FORCED_CRIMINALITY = "forced_criminality", _("Forced criminality")
    FORCED_BEGGING = "forced_begging", _("Forced begging")
    FORCED_MARRIAGE = "forced_marriage", _("Forced marriage")
    ILLEGAL_ADOPTION = "illegal_adoption", _("Illegal adoption")
    SURROGACY = "surrogacy", _("Exploitative surrogacy")
    ORGAN_REMOVAL = "organ_removal", _("Organ removal")
    SLAVERY = "slavery_practices", _("Slavery and similar practices")
    MILITARY = "forced_military", _("Forced military service")
    OTHER = "other", _("Other")


class Sex(models.TextChoices):
    FEMININE = "feminine", _("Feminine")
    MASCULINE = "masculine", _("Masculine")
    TRANS_FEMININE = "transgender_feminine", _("Transgender feminine")
    TRANS_MASCULINE = "transgender_masculine", _("Transgender masculine")
    NON_CONFORMING = "non_conforming", _("Non-conforming")
    NOT_SPECIFIED = "not_specified", _("Not specified")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class DurableSolution(models.TextChoices):
    INTEGRATION = "integration", _("Local integration")
    VOLUNTARY_RETURN = "voluntary_return", _("Voluntary return and reintegration")
    THIRD_COUNTRY = "third_country", _("Third-country solution")


class ClosureReason(models.TextChoices):
    COMPLETED = "completed", _("Durable solution completed")
    NEGATIVE_DECISION = "negative_decision", _("Negative decision")
    WITHDRAWN = "withdrawn", _("The person withdrew")
    LOST_CONTACT = "lost_contact", _("Contact lost")
    TRANSFERRED = "transferred", _("Transferred to another organisation")
    OTHER = "other", _("Other")


class DecisionKind(models.TextChoices):
    REASONABLE_GROUNDS = "reasonable_grounds", _("Reasonable grounds")
    CONCLUSIVE_GROUNDS = "conclusive_grounds", _("Conclusive grounds")


class Outcome(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEGATIVE = "negative", _("Negative")


class ConsentPurpose(models.TextChoices):
    ASSISTANCE = "assistance", _("Assistance")
    REFERRAL = "referral", _("Referral to a named organisation")
    LAW_ENFORCEMENT = "law_enforcement", _("Sharing with law enforcement")
    CROSS_BORDER = "cross_border", _("Cross-border transfer")
    STATISTICS = "statistics", _("Anonymous statistics")


class VulnerabilityLevel(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    HOUSEHOLD = "household", _("Household and family")
    COMMUNITY = "community", _("Community")
    STRUCTURAL = "structural", _("Structural")


class ServiceKind(models.TextChoices):
    ACCOMMODATION = "accommodation", _("Safe accommodation")
    MATERIAL = "material", _("Material help")
    MEDICAL = "medical", _("Medical care")
    PSYCHOLOGICAL = "psychological", _("Psychological support")
    LEGAL_COUNSELLING = "legal_counselling", _("Legal counselling")
    LEGAL_REPRESENTATION = "legal_representation", _("Legal representation")
    INTERPRETATION = "interpretation", _("Interpretation")
    EDUCATION = "education", _("Education")
    EMPLOYMENT = "employment", _("Employment")
    FAMILY_TRACING = "family_tracing", _("Family tracing")
    RESIDENCE_PERMIT = "residence_permit", _("Residence permit")
    RETURN_REINTEGRATION = "return_reintegration", _("Return and reintegration")


class ServiceStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")


class RouteRole(models.TextChoices):
    ORIGIN = "origin", _("Origin")
    TRANSIT = "transit", _("Transit")
    DESTINATION = "destination", _("Destination")


def label_of(choices: type[models.TextChoices], value: object) -> str:
    """The label of a stored value in the reader's language; an unknown value (from an older
    list or another system) as it is."""
    text = str(value)
    return str(choices(text).label) if text in choices.values else text
