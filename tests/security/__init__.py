"""Security tests: one per attack that must fail, from a trainee or a hostile pack."""
