"""`haven transfer`: transfer keys, key cards and packages from the server's console.

For installations that exchange packages as files (or from scripts): every action runs as a
named user (`--as`) and goes through the same permission checks, validation and audit as the
web pages. Exit status 2 on bad input or a refusal, with the reason on one line.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

from haven.accounts.models import Organisation, User
from haven.cases.choices import ConsentPurpose
from haven.cases.models import Case, Consent
from haven.cases.policy import CaseError
from haven.referrals import keycards, policy, transfer
from haven.referrals.models import OrganisationKeyPair


class Command(BaseCommand):
    help = "Transfer keys and packages: keygen, card, register-card, export, import, keys."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        keygen = sub.add_parser("keygen", help="make a new key pair for your organisation")
        keygen.add_argument("--as", dest="user", required=True, help="an organisation admin")
        card = sub.add_parser("card", help="write your organisation's public key card")
        card.add_argument("--as", dest="user", required=True, help="an organisation admin")
        card.add_argument("-o", "--output", required=True)
        register = sub.add_parser("register-card", help="register a partner's key card")
        register.add_argument("file")
        register.add_argument("--as", dest="user", required=True, help="an organisation admin")
        register.add_argument(
            "--confirm",
            required=True,
            help=f"the first {keycards.CONFIRM_DIGITS} fingerprint characters, as the "
            "partner's admin read them to you",
        )
        register.add_argument("--organisation", help="local record of the partner (name)")
        register.add_argument(
            "--kind", default=Organisation.Kind.NGO, choices=Organisation.Kind.values
        )
        export = sub.add_parser("export", help="export a case as a transfer package")
        export.add_argument("reference")
        export.add_argument("--as", dest="user", required=True, help="the case worker")
        export.add_argument("--to", required=True, help="receiving organisation (name)")
        export.add_argument("--fields", required=True, help="comma-separated shared fields")
        export.add_argument("--consent", type=int, help="consent id (default: the latest)")
        export.add_argument("-o", "--output", required=True)
        imp = sub.add_parser("import", help="verify and import a transfer package")
        imp.add_argument("file")
        imp.add_argument("--as", dest="user", required=True, help="a case worker")
        keys = sub.add_parser("keys", help="list the transfer keys Haven knows")
        keys.add_argument("--as", dest="user", required=True, help="an organisation admin")

    def _fail(self, message: str) -> NoReturn:
        sys.stderr.write(f"haven transfer: {message}\n")
        sys.exit(2)

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            self._fail(f"no active user {username!r}")
        return user

    def _read(self, name: str, limit: int) -> bytes:
        path = Path(name)
        if not path.is_file():
            self._fail(f"cannot read {path}")
        if path.stat().st_size > limit:
            self._fail(f"{path} is too large")
        return path.read_bytes()

    def handle(self, *args: Any, **options: Any) -> None:
        user = self._user(options["user"])
        try:
            getattr(self, "_" + options["action"].replace("-", "_"))(user, options)
        except CaseError as exc:
            self._fail(exc.message)

    def _keygen(self, user: User, options: dict[str, Any]) -> None:
        pair = transfer.generate_key_pair(user.organisation, actor=user)
        self.stdout.write(f"new key pair {keycards.spoken(pair.fingerprint)}")

    def _card(self, user: User, options: dict[str, Any]) -> None:
        if not policy.may_manage_keys(user):
            self._fail("only an organisation admin hands out key cards")
        pair = transfer.active_key(user.organisation_id)
        if pair is None:
            self._fail("your organisation has no transfer key yet (haven transfer keygen)")
        Path(options["output"]).write_bytes(keycards.card_for(pair))
        self.stdout.write(
            f"key card written to {options['output']}; fingerprint {pair.fingerprint}"
        )

    def _register_card(self, user: User, options: dict[str, Any]) -> None:
        card = keycards.parse_card(self._read(options["file"], keycards.MAX_CARD_BYTES))
        organisation = None
        if options["organisation"]:
            organisation = Organisation.objects.filter(name=options["organisation"]).first()
            if organisation is None:
                self._fail(f"no organisation named {options['organisation']!r}")
        pair = keycards.register_partner_key(
            card,
            actor=user,
            confirmed_fingerprint=options["confirm"],
            organisation=organisation,
            kind=options["kind"],
        )
        self.stdout.write(
            f"registered the key {keycards.spoken(pair.fingerprint)} of "
            f"{pair.organisation.name} ({pair.organisation.country.code})"
        )

    def _export(self, user: User, options: dict[str, Any]) -> None:
        case = Case.objects.filter(reference=options["reference"]).first()
        to = Organisation.objects.filter(name=options["to"]).first()
        if case is None or to is None:
            self._fail("no such case or receiving organisation")
        consents = Consent.objects.filter(
            case=case, purpose=ConsentPurpose.CROSS_BORDER, organisation=to
        )
        consent = (
            consents.filter(pk=options["consent"]).first()
            if options["consent"]
            else consents.filter(withdrawn_at__isnull=True).order_by("-given_on", "-pk").first()
        )
        fields = [f.strip() for f in options["fields"].split(",") if f.strip()]
        package = transfer.export_package(
            case, actor=user, to_organisation=to, consent=consent, fields=fields
        )
        Path(options["output"]).write_bytes(package.content)
        self.stdout.write(f"package of {case.reference} written to {options['output']}")

    def _import(self, user: User, options: dict[str, Any]) -> None:
        content = self._read(options["file"], transfer.MAX_PACKAGE_BYTES)
        case = transfer.import_package(content, actor=user)
        self.stdout.write(
            f"imported as {case.reference} (from {case.transferred_from_reference}, "
            f"{case.transferred_from_organisation})"
        )

    def _keys(self, user: User, options: dict[str, Any]) -> None:
        if not policy.may_manage_keys(user):
            self._fail("only an organisation admin lists transfer keys")
        for pair in OrganisationKeyPair.objects.select_related("organisation").order_by(
            "organisation__name", "-created_at"
        ):
            state = "active" if pair.is_active else "retired"
            origin = "partner" if pair.partner else "own"
            self.stdout.write(f"{pair.organisation.name}\t{origin}\t{state}\t{pair.fingerprint}")
