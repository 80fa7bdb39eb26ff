"""Template filters of the registry app (Django finds them here: `{% load dose %}`)."""
