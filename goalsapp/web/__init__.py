"""The web: blueprints, their forms, guards and template filters. Views ask the domain; they decide nothing."""
