"""The users' docs (docs/): current where they restate code, and pointing nowhere outside the repository."""
