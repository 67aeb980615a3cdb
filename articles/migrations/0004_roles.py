"""The newsroom's roles as groups with their permissions: Reporter, Editor, Translator, Moderator."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "Reporter": [
        "view_article", "add_article", "change_article", "submit_article",
        "view_part", "add_part", "change_part", "delete_part",
        "view_articlesource", "add_articlesource", "change_articlesource", "delete_articlesource",
        "view_source", "add_source", "view_section", "view_correction",
    ],
    "Editor": [
        "view_article", "add_article", "change_article", "delete_article",
        "submit_article", "publish_article", "correct_article", "retract_article", "edit_any_article",
        "view_part", "add_part", "change_part", "delete_part",
        "view_articlesource", "add_articlesource", "change_articlesource", "delete_articlesource",
        "view_source", "add_source", "change_source", "view_sourcealias", "add_sourcealias",
        "change_sourcealias", "delete_sourcealias",
        "view_section", "add_section", "change_section", "view_correction", "view_auditentry",
    ],
    # Translations and reader comments arrive with their own issues, which add their permissions here.
    "Translator": [
        "view_article", "add_article", "change_article", "submit_article",
        "view_part", "add_part", "change_part", "view_source", "view_section",
    ],
    "Moderator": ["view_article"],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations ran; the groups need them now.
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        permissions = Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"unknown permissions for {role}: {sorted(missing)}")
        group.permissions.add(*permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_workflow"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_roles, remove_roles)]
