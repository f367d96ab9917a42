"""Income statements (resultaträkning): reading printed and structured tables, hierarchy, checks."""
