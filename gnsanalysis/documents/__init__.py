"""Figures stated in the committee's documents (claims, price list), recomputed."""
