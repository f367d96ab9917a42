"""The committee's parties: registry, exact allocation keys, the stakeholder matrix."""
