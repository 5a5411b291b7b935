#![allow(clippy::unwrap_used)]
//! The value types Portico relies on survive sqlx's Any driver on both
//! backends (docs/decisions.md, "One SQL path").
use portico_store::{Db, Flag, flag};
use sqlx::Row;

async fn db() -> Db {
    let url =
        std::env::var("PORTICO_TEST_DATABASE_URL").ok().filter(|u| u.starts_with("postgres")).unwrap_or_else(|| {
            let dir = std::env::temp_dir().join(format!("portico-any-{}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            format!("sqlite://{}?mode=rwc", dir.join("t.db").display())
        });
    Db::connect(&url, 2).await.unwrap()
}

#[tokio::test]
async fn flags_blobs_and_nullable_integers_round_trip() {
    let db = db().await;
    let table = format!("anyt_{}", std::process::id());
    sqlx::query(&format!("DROP TABLE IF EXISTS {table}")).execute(db.w()).await.unwrap();
    sqlx::query(&format!("CREATE TABLE {table} (b BIGINT NOT NULL, n BIGINT, d BYTEA, t TEXT)"))
        .execute(db.w())
        .await
        .unwrap();
    sqlx::query(&format!("INSERT INTO {table} (b, n, d, t) VALUES ($1, $2, $3, $4)"))
        .bind(flag(true))
        .bind(None::<i64>)
        .bind(vec![1_u8, 2])
        .bind("x")
        .execute(db.w())
        .await
        .unwrap();
    let row = sqlx::query(&format!(
        "SELECT b, n, d, t, COUNT(*) OVER () AS c FROM {table} WHERE b = $1 AND ($2 IS NULL OR n = $2)"
    ))
    .bind(flag(true))
    .bind(None::<i64>)
    .fetch_one(db.r())
    .await
    .unwrap();
    let b: bool = row.try_get::<Flag, _>("b").unwrap().into();
    assert!(b);
    assert_eq!(row.try_get::<Option<i64>, _>("n").unwrap(), None);
    assert_eq!(row.try_get::<Vec<u8>, _>("d").unwrap(), vec![1, 2]);
    assert_eq!(row.try_get::<i64, _>("c").unwrap(), 1);
    sqlx::query(&format!("DROP TABLE {table}")).execute(db.w()).await.unwrap();
}
