"""Publishing reports: parameters, the one runner, the build, verification, privacy scan."""
