"""Activities: what the organisation runs, who attended, children's feedback, series, campaign.

The contract with the screens is ``API.md`` in this package.
"""
