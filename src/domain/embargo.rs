//! Embargo rules: who may move an embargo, and when a publication may happen.
//! Pure functions, so the rules are tested without a database.

use super::user::Role;

/// Why a change to an embargo was refused, in the journalist's words.
pub const ONLY_EDITORS_LIFT: &str = "only an editor can lift an embargo or bring it forward";

/// May `role` change a story's embargo from `stored` to `requested` at `now`?
/// Setting or lengthening an embargo is anyone's to do: it only keeps a story
/// back. Lifting an embargo still in force, or bringing it forward, can release
/// a story early, and is an editor's decision.
pub fn may_change(
    role: Role,
    stored: Option<i64>,
    requested: Option<i64>,
    now: i64,
) -> Result<(), &'static str> {
    let in_force = stored.is_some_and(|until| until > now);
    let earlier = match (stored, requested) {
        (Some(old), Some(new)) => new < old,
        (Some(_), None) => true,
        (None, _) => false,
    };
    if in_force && earlier && !role.is_editor() {
        Err(ONLY_EDITORS_LIFT)
    } else {
        Ok(())
    }
}

/// When pressing "Publish" makes a story public.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublishAt {
    Now,
    /// An embargo is never broken by a click: publishing waits for its end.
    EmbargoEnd(i64),
}

pub fn publish_at(embargo: Option<i64>, now: i64) -> PublishAt {
    match embargo {
        Some(until) if until > now => PublishAt::EmbargoEnd(until),
        _ => PublishAt::Now,
    }
}

/// Whether an embargo keeps a story from the public at `now`.
pub fn in_force(embargo: Option<i64>, now: i64) -> bool {
    embargo.is_some_and(|until| until > now)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_000;

    #[test]
    fn anyone_may_set_or_lengthen_an_embargo() {
        for role in Role::ALL {
            assert_eq!(may_change(role, None, Some(NOW + 10), NOW), Ok(()));
            assert_eq!(
                may_change(role, Some(NOW + 10), Some(NOW + 20), NOW),
                Ok(())
            );
            assert_eq!(
                may_change(role, Some(NOW + 10), Some(NOW + 10), NOW),
                Ok(())
            );
        }
    }

    #[test]
    fn only_editors_lift_or_shorten_an_embargo_in_force() {
        let lift = may_change(Role::Reporter, Some(NOW + 10), None, NOW);
        let shorten = may_change(Role::Reporter, Some(NOW + 10), Some(NOW + 5), NOW);
        assert_eq!(lift, Err(ONLY_EDITORS_LIFT));
        assert_eq!(shorten, Err(ONLY_EDITORS_LIFT));
        for role in [Role::Editor, Role::Admin] {
            assert_eq!(may_change(role, Some(NOW + 10), None, NOW), Ok(()));
            assert_eq!(may_change(role, Some(NOW + 10), Some(NOW + 5), NOW), Ok(()));
        }
    }

    #[test]
    fn a_passed_embargo_binds_nobody() {
        assert_eq!(may_change(Role::Reporter, Some(NOW - 1), None, NOW), Ok(()));
        assert_eq!(
            may_change(Role::Reporter, Some(NOW), Some(NOW - 5), NOW),
            Ok(())
        );
    }

    #[test]
    fn publishing_waits_for_an_embargo_in_force() {
        assert_eq!(publish_at(None, NOW), PublishAt::Now);
        assert_eq!(publish_at(Some(NOW), NOW), PublishAt::Now);
        assert_eq!(
            publish_at(Some(NOW + 1), NOW),
            PublishAt::EmbargoEnd(NOW + 1)
        );
        assert!(in_force(Some(NOW + 1), NOW) && !in_force(Some(NOW), NOW) && !in_force(None, NOW));
    }
}
