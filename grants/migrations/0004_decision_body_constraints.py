from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    dependencies = [("grants", "0003_default_bodies")]

    operations = [
        migrations.AddConstraint(
            model_name='programrole',
            constraint=models.UniqueConstraint(condition=models.Q(('role', 'committee'), _negated=True), fields=('program', 'user', 'role'), name='program_role_unique_per_user'),
        ),
        migrations.AddConstraint(
            model_name='programrole',
            constraint=models.UniqueConstraint(condition=models.Q(('role', 'committee')), fields=('body', 'user'), name='program_role_one_seat_per_body'),
        ),
        migrations.AddConstraint(
            model_name='programrole',
            constraint=models.UniqueConstraint(condition=models.Q(('chair', True)), fields=('body',), name='program_role_one_chair'),
        ),
        migrations.AddConstraint(
            model_name='programrole',
            constraint=models.UniqueConstraint(condition=models.Q(('deputy_for__isnull', False)), fields=('deputy_for',), name='program_role_one_deputy_per_member'),
        ),
        migrations.AddConstraint(
            model_name='programrole',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('body__isnull', False), ('role', 'committee')), models.Q(models.Q(('role', 'committee'), _negated=True), ('body__isnull', True)), _connector='OR'), name='program_role_body_iff_committee'),
        ),
        migrations.AddConstraint(
            model_name='programrole',
            constraint=models.CheckConstraint(condition=models.Q(('valid_from__isnull', True), ('valid_until__isnull', True), ('valid_until__gte', models.F('valid_from')), _connector='OR'), name='program_role_until_not_before_from'),
        ),
        migrations.AddConstraint(
            model_name='decisionbody',
            constraint=models.UniqueConstraint(condition=models.Q(('is_default', True)), fields=('program',), name='decision_body_one_default'),
        ),
        migrations.AddConstraint(
            model_name='decisionbody',
            constraint=models.UniqueConstraint(fields=('program', 'name'), name='decision_body_name_unique'),
        ),
        migrations.AlterField(
            model_name="call",
            name="body",
            field=models.ForeignKey(
                blank=True,
                help_text="The body that decides this call's applications; empty: the default body.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="calls",
                to="grants.decisionbody",
                verbose_name="decision body",
            ),
        ),
    ]
