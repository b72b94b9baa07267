"""The domain: sheets, their forms, review, access, workflow, copying and history. No Flask request in here."""
