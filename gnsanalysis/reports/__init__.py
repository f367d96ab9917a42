"""Report content: year-end (årsbokslut) and interim (delårsrapport) analysis and views."""
