//! Both backends migrate to the same tables and columns (style.md: per-
//! backend migration folders drift apart unless a test compares them).
use std::collections::BTreeSet;

use portico_store::Db;

async fn sqlite_columns() -> BTreeSet<(String, String)> {
    let dir = std::env::temp_dir().join(format!("portico-schema-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = Db::connect(&format!("sqlite://{}?mode=rwc", dir.join("s.db").display()), 2).await.unwrap();
    db.migrate().await.unwrap();
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'",
    )
    .fetch_all(db.r())
    .await
    .unwrap();
    rows.into_iter().collect()
}

#[tokio::test]
async fn sqlite_and_postgres_schemas_match() {
    let sqlite = sqlite_columns().await;
    assert!(sqlite.contains(&("portal_users".into(), "username".into())));
    let Some(_) = std::env::var("PORTICO_TEST_DATABASE_URL").ok().filter(|u| u.starts_with("postgres")) else {
        // Without PostgreSQL there is nothing to compare with; CI sets it.
        return;
    };
    let url = crate::common::fresh_database_url().await;
    let db = Db::connect(&url, 2).await.unwrap();
    db.migrate().await.unwrap();
    let pg: BTreeSet<(String, String)> = sqlx::query_as::<_, (String, String)>(
        "SELECT table_name::text, column_name::text FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(db.r())
    .await
    .unwrap()
    .into_iter()
    .collect();
    db.close().await;
    crate::common::drop_database(&url).await;
    assert_eq!(sqlite, pg);
}
