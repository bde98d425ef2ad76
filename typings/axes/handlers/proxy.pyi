class AxesProxyHandler:
    @classmethod
    def reset_attempts(
        cls,
        *,
        ip_address: str | None = ...,
        username: str | None = ...,
        ip_or_username: bool = ...,
    ) -> int: ...
