//! Pictures' bytes in an S3-compatible object store (`media_store = "s3"`).
//!
//! Renditions are written once under `renditions/{sha256}`, JPEG and WebP
//! alike, and checked against that hash whenever they are read back. When a
//! CDN fronts the bucket (`media_public_url`), a public picture is also copied
//! to `public/images/{id}/{width}` (and `….webp`), and deleted from there when
//! no public story shows it any more (`media::public_copies`).

use std::sync::Arc;
use std::time::Duration;

use futures_util::TryStreamExt;
use object_store::aws::AmazonS3Builder;
use object_store::path::Path;
use object_store::{
    Attribute, Attributes, ClientOptions, GetOptions, ObjectStore, PutPayload, RetryConfig,
};
use thiserror::Error;

use crate::config::S3Settings;
use crate::store::content_hash;

#[derive(Debug, Error)]
pub enum ObjectError {
    #[error("object storage: {0}")]
    Storage(#[from] object_store::Error),
    #[error(
        "object storage: {key} does not hold the bytes its name promises (its hash is {found})"
    )]
    HashMismatch { key: String, found: String },
}

/// The bucket, through `object_store`'s S3 client.
pub struct ObjectStorage {
    bucket: Arc<dyn ObjectStore>,
    /// Where a CDN serves `public/`; `None`: no public copies are kept.
    public_url: Option<String>,
}

impl std::fmt::Debug for ObjectStorage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ObjectStorage")
            .field("public_url", &self.public_url)
            .finish_non_exhaustive()
    }
}

impl ObjectStorage {
    /// A client for the configured bucket (no request is made yet).
    pub fn connect(settings: &S3Settings) -> Result<ObjectStorage, ObjectError> {
        let bucket = AmazonS3Builder::new()
            .with_endpoint(&settings.endpoint)
            // Path-style (`endpoint/bucket/key`), which every S3-compatible server accepts.
            .with_virtual_hosted_style_request(false)
            .with_bucket_name(&settings.bucket)
            .with_region(&settings.region)
            .with_access_key_id(&settings.access_key)
            .with_secret_access_key(settings.secret_key.expose())
            // A storage server that is down fails a picture in seconds, not minutes.
            .with_retry(RetryConfig {
                max_retries: 2,
                retry_timeout: Duration::from_secs(10),
                ..Default::default()
            })
            .with_client_options(
                ClientOptions::new()
                    .with_allow_http(settings.endpoint.starts_with("http://"))
                    .with_connect_timeout(Duration::from_secs(5))
                    .with_timeout(Duration::from_secs(30)),
            )
            .build()?;
        Ok(ObjectStorage {
            bucket: Arc::new(bucket),
            public_url: settings.public_url.clone(),
        })
    }

    pub fn public_url(&self) -> Option<&str> {
        self.public_url.as_deref()
    }

    /// Writes a rendition under its hash (again, harmlessly, if it is there) and returns the hash.
    pub async fn put_rendition(
        &self,
        content_type: &str,
        bytes: &[u8],
    ) -> Result<String, ObjectError> {
        let hash = content_hash(bytes);
        self.put(&rendition_key(&hash), content_type, bytes).await?;
        Ok(hash)
    }

    /// The rendition named `hash`, checked against it.
    pub async fn rendition(&self, hash: &str) -> Result<Vec<u8>, ObjectError> {
        let key = rendition_key(hash);
        let bytes = self
            .bucket
            .get(&Path::from(key.as_str()))
            .await?
            .bytes()
            .await?;
        let found = content_hash(&bytes);
        if found != hash {
            return Err(ObjectError::HashMismatch { key, found });
        }
        Ok(bytes.to_vec())
    }

    /// Copies rendition `hash` to `key` inside the bucket (S3's CopyObject,
    /// which keeps its content type): the bytes do not pass through the node.
    /// Reading each rendition back to write it again took a public copy 40 ms
    /// against s3s-fs, whose response bodies wait on the client's delayed ACK.
    pub async fn copy_rendition(&self, hash: &str, key: &str) -> Result<(), ObjectError> {
        let from = rendition_key(hash);
        self.bucket
            .copy(&Path::from(from.as_str()), &Path::from(key))
            .await?;
        Ok(())
    }

    /// Writes a public copy of a rendition for the CDN.
    pub async fn put_public(
        &self,
        key: &str,
        content_type: &str,
        bytes: &[u8],
    ) -> Result<(), ObjectError> {
        self.put(key, content_type, bytes).await
    }

    /// Deletes an object (a public copy, a rendition nothing names any more);
    /// one that is not there is not an error.
    pub async fn delete(&self, key: &str) -> Result<(), ObjectError> {
        match self.bucket.delete(&Path::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Whether an object is there (for tests and checks).
    pub async fn exists(&self, key: &str) -> Result<bool, ObjectError> {
        match self.bucket.head(&Path::from(key)).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// The content type an object is served with, `None` when it is not there
    /// (for checks and tests: a CDN serves a public copy with it).
    pub async fn content_type(&self, key: &str) -> Result<Option<String>, ObjectError> {
        let head = GetOptions {
            head: true,
            ..GetOptions::default()
        };
        match self.bucket.get_opts(&Path::from(key), head).await {
            Ok(found) => Ok(found
                .attributes
                .get(&Attribute::ContentType)
                .map(|value| value.to_string())),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// The keys of every object under `prefix`, in no particular order (for checks and tests).
    pub async fn keys(&self, prefix: &str) -> Result<Vec<String>, ObjectError> {
        let prefix = Path::from(prefix);
        let listed: Vec<_> = self.bucket.list(Some(&prefix)).try_collect().await?;
        Ok(listed.into_iter().map(|o| o.location.to_string()).collect())
    }

    async fn put(&self, key: &str, content_type: &str, bytes: &[u8]) -> Result<(), ObjectError> {
        let attributes =
            Attributes::from_iter([(Attribute::ContentType, content_type.to_string())]);
        self.bucket
            .put_opts(
                &Path::from(key),
                PutPayload::from(bytes.to_vec()),
                attributes.into(),
            )
            .await?;
        Ok(())
    }
}

/// Where a rendition's bytes are kept: named by their content.
pub fn rendition_key(hash: &str) -> String {
    format!("renditions/{hash}")
}

/// Where the CDN finds public picture `id` at `width` in `content_type`
/// (under `media_public_url`): the JPEG has the path Dateline serves it at.
pub fn public_key(id: i64, width: i64, content_type: &str) -> String {
    if content_type == super::webp::CONTENT_TYPE {
        format!("public/images/{id}/{width}.webp")
    } else {
        format!("public/images/{id}/{width}")
    }
}
