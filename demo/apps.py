from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for trying the registry (`manage.py load_demo_data`); no models, no business rules."""

    name = "demo"
    verbose_name = "Demo data"
