"""API tokens, stored as SHA-256 hashes."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ApiToken


class TokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def by_hash(self, token_hash: str) -> ApiToken | None:
        query = select(ApiToken).where(ApiToken.token_hash == token_hash)
        return await self._session.scalar(query)

    async def get(self, token_id: int) -> ApiToken | None:
        return await self._session.get(ApiToken, token_id)

    async def live_named(self, name: str) -> ApiToken | None:
        """The token of that name that is not revoked, if any."""
        query = select(ApiToken).where(ApiToken.name == name, ApiToken.revoked_at.is_(None))
        return await self._session.scalar(query)

    async def all(self) -> Sequence[ApiToken]:
        return (await self._session.scalars(select(ApiToken).order_by(ApiToken.id))).all()

    async def of_person(self, manager_id: int) -> Sequence[ApiToken]:
        """A person's own tokens, revoked ones too, the newest first."""
        query = (
            select(ApiToken).where(ApiToken.manager_id == manager_id).order_by(ApiToken.id.desc())
        )
        return (await self._session.scalars(query)).all()

    def add(self, token: ApiToken) -> None:
        self._session.add(token)
