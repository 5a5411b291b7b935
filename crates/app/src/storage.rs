//! Where document bytes live: a local directory (the default) or an
//! S3-compatible bucket, both through the `object_store` crate. Objects are
//! keyed by company and a random id (`c42/9f…`), never by a name a user
//! typed. Writes go through multipart uploads so a file streams to storage
//! in bounded chunks; an upload that is refused half-way is aborted and
//! leaves nothing behind (the local store stages into a temporary file and
//! renames it on completion; S3 discards the parts).

use std::path::PathBuf;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::stream::{BoxStream, StreamExt};
use object_store::path::Path;
use object_store::{ObjectStore, PutPayload, WriteMultipart};

use crate::AppError;

/// How to reach the storage, from the operator's configuration.
#[derive(Debug, Clone)]
pub enum StorageConfig {
    /// A directory on this machine (created when missing).
    Local(PathBuf),
    S3(S3Config),
    /// In memory, for unit tests and tools that never serve documents.
    Memory,
}

#[derive(Debug, Clone, Default)]
pub struct S3Config {
    pub bucket: String,
    /// `https://s3.example.com` for S3-compatible services; empty for AWS.
    pub endpoint: String,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    /// Plain http to the endpoint (always allowed for a loopback address).
    pub allow_http: bool,
}

/// Whether an endpoint URL points at this machine.
pub fn is_loopback_endpoint(endpoint: &str) -> bool {
    url::Url::parse(endpoint).ok().is_some_and(|u| match u.host() {
        Some(url::Host::Domain(d)) => d == "localhost" || d.ends_with(".localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    })
}

/// The document store. Cheap to clone.
#[derive(Clone)]
pub struct Storage {
    inner: Arc<dyn ObjectStore>,
    /// Bytes buffered per part before it is sent (S3 needs at least 5 MiB
    /// per part except the last; the local store takes small parts).
    chunk: usize,
    label: String,
}

impl std::fmt::Debug for Storage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Storage").field("backend", &self.label).finish()
    }
}

/// Storage failures surface as internal errors (logged, generic page).
fn failed(what: String) -> AppError {
    AppError::Store(portico_store::StoreError::Config(format!("document storage: {what}")))
}

fn storage_error(e: object_store::Error) -> AppError {
    failed(e.to_string())
}

/// 32 random hex digits.
fn random_id() -> String {
    use rand::RngCore;
    let mut b = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

impl Storage {
    pub fn open(cfg: &StorageConfig) -> Result<Storage, AppError> {
        match cfg {
            StorageConfig::Local(dir) => {
                std::fs::create_dir_all(dir).map_err(|e| failed(format!("creating {}: {e}", dir.display())))?;
                let fs = object_store::local::LocalFileSystem::new_with_prefix(dir)
                    .map_err(storage_error)?
                    .with_automatic_cleanup(true);
                Ok(Storage { inner: Arc::new(fs), chunk: 256 * 1024, label: format!("local {}", dir.display()) })
            }
            StorageConfig::S3(s) => {
                let mut b = object_store::aws::AmazonS3Builder::new()
                    .with_bucket_name(&s.bucket)
                    .with_region(if s.region.is_empty() { "us-east-1" } else { &s.region });
                if !s.endpoint.is_empty() {
                    b = b
                        .with_endpoint(&s.endpoint)
                        // Path-style requests work with every S3-compatible server.
                        .with_virtual_hosted_style_request(false)
                        .with_allow_http(s.allow_http || is_loopback_endpoint(&s.endpoint));
                }
                if !s.access_key_id.is_empty() {
                    b = b.with_access_key_id(&s.access_key_id).with_secret_access_key(&s.secret_access_key);
                }
                let store = b.build().map_err(storage_error)?;
                Ok(Storage { inner: Arc::new(store), chunk: 5 * 1024 * 1024, label: format!("s3 {}", s.bucket) })
            }
            StorageConfig::Memory => Ok(Storage {
                inner: Arc::new(object_store::memory::InMemory::new()),
                chunk: 256 * 1024,
                label: "memory".into(),
            }),
        }
    }

    pub fn memory() -> Storage {
        Storage { inner: Arc::new(object_store::memory::InMemory::new()), chunk: 256 * 1024, label: "memory".into() }
    }

    /// `local /var/lib/portico/documents`, `s3 bucket`: for logs.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// A new, unguessable key for a company's object.
    pub fn new_key(company_id: i64) -> String {
        format!("c{company_id}/{}", random_id())
    }

    /// Start a streamed write of a new object.
    pub async fn writer(&self, key: &str) -> Result<ObjectWriter, AppError> {
        let upload = self.inner.put_multipart(&Path::from(key)).await.map_err(storage_error)?;
        Ok(ObjectWriter { w: WriteMultipart::new_with_chunk_size(upload, self.chunk) })
    }

    /// Store a small object in one request (demo data).
    pub async fn put(&self, key: &str, data: Vec<u8>) -> Result<(), AppError> {
        self.inner.put(&Path::from(key), PutPayload::from(data)).await.map_err(storage_error)?;
        Ok(())
    }

    /// The object's bytes as a stream, and its size.
    pub async fn get(&self, key: &str) -> Result<(u64, BoxStream<'static, Result<Bytes, std::io::Error>>), AppError> {
        let r = self.inner.get(&Path::from(key)).await.map_err(|e| match e {
            object_store::Error::NotFound { .. } => AppError::NotFound,
            other => storage_error(other),
        })?;
        let size = r.meta.size;
        let stream = r.into_stream().map(|c| c.map_err(std::io::Error::other)).boxed();
        Ok((size, stream))
    }

    /// The whole object (tests and small files only).
    pub async fn read_all(&self, key: &str) -> Result<Vec<u8>, AppError> {
        let r = self.inner.get(&Path::from(key)).await.map_err(|e| match e {
            object_store::Error::NotFound { .. } => AppError::NotFound,
            other => storage_error(other),
        })?;
        Ok(r.bytes().await.map_err(storage_error)?.to_vec())
    }

    /// Delete an object; a missing one is not an error.
    pub async fn delete(&self, key: &str) -> Result<(), AppError> {
        match self.inner.delete(&Path::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(storage_error(e)),
        }
    }

    /// Whether an object exists.
    pub async fn exists(&self, key: &str) -> Result<bool, AppError> {
        match self.inner.head(&Path::from(key)).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(storage_error(e)),
        }
    }

    /// Number of objects under a company's prefix (tests: nothing left behind).
    pub async fn count(&self, company_id: i64) -> Result<usize, AppError> {
        let prefix = Path::from(format!("c{company_id}"));
        let mut n = 0;
        let mut s = self.inner.list(Some(&prefix));
        while let Some(item) = s.next().await {
            item.map_err(storage_error)?;
            n += 1;
        }
        Ok(n)
    }
}

/// A streamed write in progress. Call [`ObjectWriter::finish`] to make the
/// object visible, or [`ObjectWriter::abort`] to discard what was sent.
pub struct ObjectWriter {
    w: WriteMultipart,
}

impl ObjectWriter {
    /// Append bytes; waits while too many parts are in flight, so memory
    /// stays bounded however large the file.
    pub async fn write(&mut self, data: &[u8]) -> Result<(), AppError> {
        self.w.wait_for_capacity(4).await.map_err(storage_error)?;
        self.w.write(data);
        Ok(())
    }

    pub async fn finish(self) -> Result<(), AppError> {
        self.w.finish().await.map_err(storage_error)?;
        Ok(())
    }

    pub async fn abort(self) {
        if let Err(e) = self.w.abort().await {
            tracing::warn!(error = %e, "aborting an upload failed");
        }
    }
}
