//! Story records kept in memory for the public site, so an article that is not
//! in the page cache is rendered without going to the database.
//!
//! Each record lists the surrogate keys it was built from (`story-42`, `promos`…);
//! the invalidation that drops cached pages drops the records carrying the same
//! keys, at the same moment. A load that began before an invalidation is never
//! stored, so a record is never older than the last change to what it shows.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

/// One record and the keys that drop it.
struct Slot<V> {
    value: Arc<V>,
    keys: Vec<String>,
}

/// Records of one kind by id (or another key: readers' sessions are kept by the
/// hash of their secret), bounded in number.
pub struct RecordCache<V, K = i64> {
    enabled: bool,
    capacity: usize,
    slots: RwLock<HashMap<K, Slot<V>>>,
    /// Bumped by every invalidation; a load that saw an older value is not stored.
    generation: AtomicU64,
}

impl<V, K: Eq + Hash + Clone> RecordCache<V, K> {
    pub fn new(enabled: bool, capacity: usize) -> RecordCache<V, K> {
        RecordCache {
            enabled,
            capacity,
            slots: RwLock::new(HashMap::new()),
            generation: AtomicU64::new(0),
        }
    }

    /// The record for `id`, if held.
    pub fn get<Q>(&self, id: &Q) -> Option<Arc<V>>
    where
        K: Borrow<Q>,
        Q: Eq + Hash + ?Sized,
    {
        if !self.enabled {
            return None;
        }
        self.slots
            .read()
            .ok()?
            .get(id)
            .map(|slot| Arc::clone(&slot.value))
    }

    /// Where a load starts: pass it back to `insert`.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Keeps `value` unless an invalidation happened since `generation` was read.
    pub fn insert(&self, id: K, value: Arc<V>, keys: Vec<String>, generation: u64) {
        if !self.enabled {
            return;
        }
        let Ok(mut slots) = self.slots.write() else {
            return;
        };
        // Checked under the write lock, which invalidations also take.
        if self.generation.load(Ordering::SeqCst) != generation {
            return;
        }
        if slots.len() >= self.capacity && !slots.contains_key(&id) {
            // Any entry will do: a miss costs one load, and this keeps the bound O(1).
            if let Some(victim) = slots.keys().next().cloned() {
                slots.remove(&victim);
            }
        }
        slots.insert(id, Slot { value, keys });
    }

    /// Drops every record built from any of `keys`.
    pub fn invalidate(&self, keys: &[String]) {
        if let Ok(mut slots) = self.slots.write() {
            self.generation.fetch_add(1, Ordering::SeqCst);
            slots.retain(|_, slot| !slot.keys.iter().any(|k| keys.contains(k)));
        }
    }

    /// Whether records are kept at all (`--record-cache false` turns them off).
    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// Drops everything.
    pub fn clear(&self) {
        if let Ok(mut slots) = self.slots.write() {
            self.generation.fetch_add(1, Ordering::SeqCst);
            slots.clear();
        }
    }

    pub fn len(&self) -> usize {
        self.slots.read().map(|s| s.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(k: &[&str]) -> Vec<String> {
        k.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn invalidation_drops_exactly_the_records_carrying_a_key() {
        let cache = RecordCache::new(true, 10);
        cache.insert(1, Arc::new("one"), keys(&["story-1", "story-3"]), 0);
        cache.insert(2, Arc::new("two"), keys(&["story-2"]), 0);
        cache.invalidate(&keys(&["story-3"]));
        assert!(cache.get(&1).is_none());
        assert_eq!(cache.get(&2).as_deref(), Some(&"two"));
    }

    #[test]
    fn a_load_that_straddles_an_invalidation_is_not_kept() {
        let cache = RecordCache::new(true, 10);
        let started = cache.generation();
        cache.invalidate(&keys(&["story-9"]));
        cache.insert(1, Arc::new("stale"), keys(&["story-1"]), started);
        assert!(cache.get(&1).is_none());
        let started = cache.generation();
        cache.insert(1, Arc::new("fresh"), keys(&["story-1"]), started);
        assert_eq!(cache.get(&1).as_deref(), Some(&"fresh"));
    }

    #[test]
    fn the_number_of_records_is_bounded() {
        let cache = RecordCache::new(true, 3);
        for id in 0..10 {
            cache.insert(id, Arc::new(id), Vec::new(), 0);
        }
        assert_eq!(cache.len(), 3);
        assert_eq!(cache.get(&9).as_deref(), Some(&9));
    }

    #[test]
    fn a_disabled_cache_holds_nothing() {
        let cache = RecordCache::new(false, 3);
        cache.insert(1, Arc::new(1), Vec::new(), 0);
        assert!(cache.get(&1).is_none());
    }
}
