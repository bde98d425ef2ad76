"""Every change of the emulation cycle is a named, atomic action here (views, the demo and tests
call these): `campaigns` (launch, council), `registrations`, `evaluations` (self-assessment and
reviews), `records` (initiatives, past titles); `classification` previews the year's outcome."""
