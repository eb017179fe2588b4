from __future__ import annotations

from ninja import Schema


class TokenRequest(Schema):
    username: str
    password: str
    # The one-time code, where the account's organisation requires two-factor sign-in.
    otp: str | None = None


class TokenResponse(Schema):
    token: str
    expires_at: str


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, str]


class ErrorResponse(Schema):
    error: ErrorDetail


class OrganisationOut(Schema):
    id: int
    name: str
    country: str
    city: str
    kind: str
    languages: list[str]


class MeOut(Schema):
    username: str
    organisation: OrganisationOut
    roles: list[str]
    language: str
    time_zone: str


class FocalPointOut(Schema):
    id: int
    name: str
    role_title: str
    organisation: OrganisationOut
    languages: list[str]
    channel: str
    contact: str


class FocalPointList(Schema):
    count: int
    items: list[FocalPointOut]
