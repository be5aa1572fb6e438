"""The bottom layer: what every app shares and no app owns.

Languages, visibility, the abstract `HubPage`, bulk publishing, the search
declarations pages make, and the registries (Wagtail hooks) through which
feature apps join the site. Nothing here imports an app of the project.
"""
