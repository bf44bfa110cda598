//! Sessions live in the database (tower-sessions), so they survive a restart and are
//! shared by several server processes on PostgreSQL. One store type for both backends.
use app::db::Db;
use async_trait::async_trait;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

#[derive(Clone, Debug)]
pub enum PortalSessionStore {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl PortalSessionStore {
    pub fn new(db: &Db) -> Self {
        match db {
            Db::Sqlite(pool) => PortalSessionStore::Sqlite(SqliteStore::new(pool.clone())),
            Db::Postgres(pool) => PortalSessionStore::Postgres(PostgresStore::new(pool.clone())),
        }
    }

    /// Creates the session table when it is missing.
    pub async fn migrate(&self) -> sqlx::Result<()> {
        match self {
            PortalSessionStore::Sqlite(store) => store.migrate().await,
            PortalSessionStore::Postgres(store) => store.migrate().await,
        }
    }
}

#[async_trait]
impl SessionStore for PortalSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        match self {
            PortalSessionStore::Sqlite(store) => store.create(record).await,
            PortalSessionStore::Postgres(store) => store.create(record).await,
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        match self {
            PortalSessionStore::Sqlite(store) => store.save(record).await,
            PortalSessionStore::Postgres(store) => store.save(record).await,
        }
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match self {
            PortalSessionStore::Sqlite(store) => store.load(id).await,
            PortalSessionStore::Postgres(store) => store.load(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        match self {
            PortalSessionStore::Sqlite(store) => store.delete(id).await,
            PortalSessionStore::Postgres(store) => store.delete(id).await,
        }
    }
}

#[async_trait]
impl ExpiredDeletion for PortalSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        match self {
            PortalSessionStore::Sqlite(store) => store.delete_expired().await,
            PortalSessionStore::Postgres(store) => store.delete_expired().await,
        }
    }
}
