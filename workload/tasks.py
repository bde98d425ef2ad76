"""Background jobs of the workload module (django-tasks); they take ids, not objects."""

from django_tasks import task

from core.scopes import unscoped
from workload import services


@task()
@unscoped
def balance_term(run_id: int) -> str:
    return str(services.execute_run(run_id).status)
