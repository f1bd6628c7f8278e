"""Alembic environment: always run with a connection handed over by the program."""

from alembic import context
from sqlalchemy import create_engine

from kinerja_desktop.store.models import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:  # ``alembic`` on the command line, for writing new revisions
        url = config.get_main_option("sqlalchemy.url") or "sqlite:///alembic-dev.sqlite3"
        with create_engine(url).begin() as connection:
            _configure_and_run(connection)
    else:
        _configure_and_run(connection)


def _configure_and_run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
