# Seeing unpublished stories becomes its own permission, given to editors only: reporters and translators
# see what is public and their own stories, moderators what is public (see docs/permissions.md).

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="articles", codename="view_unpublished_article")
    for group in Group.objects.filter(name="Editor"):
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="articles", codename="view_unpublished_article").delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_roles")]

    operations = [
        migrations.AlterModelOptions(
            name="article",
            options={
                "ordering": ["-published_at", "-created_at"],
                "permissions": [
                    ("submit_article", "Can submit stories for review"),
                    ("publish_article", "Can publish, schedule and unpublish stories"),
                    ("correct_article", "Can add corrections to published stories"),
                    ("retract_article", "Can retract published stories"),
                    ("edit_any_article", "Can edit stories written by others"),
                    ("view_unpublished_article", "Can see every draft, scheduled and embargoed story"),
                ],
                "verbose_name": "story",
                "verbose_name_plural": "stories",
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
