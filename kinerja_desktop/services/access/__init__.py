"""Who is signed in and what they may see and do: principals, roles, accounts, passwords."""
