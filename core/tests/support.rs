//! The support network, outreach and meetings with "90 in 90".

mod common;

use chrono::Duration;
use common::*;
use waymark_core::recovery::support::{
    ContactInput, ContactPatch, ContactRole, MeetingInput, MeetingKind, OutreachInput,
    OutreachMethod,
};
use waymark_core::{Error, RecordId};

fn contact(name: &str, role: ContactRole, phone: Option<&str>) -> ContactInput {
    ContactInput {
        name: name.into(),
        role,
        phone: phone.map(Into::into),
        note: None,
    }
}

#[test]
fn contacts_and_outreach() {
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = recovery_at(dir.path(), utc(2026, 5, 20, 20, 0), "UTC");
    let sam = r
        .add_contact(contact(
            "Sam",
            ContactRole::Sponsor,
            Some("+44 (0)7700 900123"),
        ))
        .unwrap();
    r.add_contact(contact(
        "Crisis line",
        ContactRole::CrisisLine,
        Some("116 123"),
    ))
    .unwrap();
    r.add_contact(contact("Alex", ContactRole::Peer, None))
        .unwrap();
    let names: Vec<_> = r.contacts().unwrap().into_iter().map(|c| c.name).collect();
    assert_eq!(names, ["Alex", "Crisis line", "Sam"]);
    let edited = r
        .edit_contact(
            &sam.id,
            ContactPatch {
                name: Some("Sam B.".into()),
                phone: Some("07700 900123".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(edited.id, sam.id);
    assert_eq!(edited.role, ContactRole::Sponsor);
    let o = r
        .log_outreach(OutreachInput {
            contact_id: sam.id,
            method: OutreachMethod::Call,
            helped: Some(true),
            note: Some("talked me down".into()),
            at: None,
        })
        .unwrap();
    assert_eq!(r.outreach().unwrap(), vec![o]);
    for (phone, ok) in [
        ("12", false),
        ("call me", false),
        ("+1 555 0100 ext. 2", false),
        ("+1 (555) 0100", true),
    ] {
        let result = r.add_contact(contact("P", ContactRole::Other, Some(phone)));
        assert_eq!(result.is_ok(), ok, "{phone}");
        if !ok {
            assert!(matches!(
                result,
                Err(Error::InvalidInput { field: "phone", .. })
            ));
        }
    }
    assert!(matches!(
        r.add_contact(contact(" ", ContactRole::Other, None)),
        Err(Error::InvalidInput { field: "name", .. })
    ));
    assert!(matches!(
        r.log_outreach(OutreachInput {
            contact_id: RecordId::from_bytes([3; 16]),
            method: OutreachMethod::Message,
            helped: None,
            note: None,
            at: None,
        }),
        Err(Error::InvalidInput {
            field: "contact_id",
            ..
        })
    ));
    r.delete_contact(&sam.id).unwrap();
    assert_eq!(r.contacts().unwrap().len(), 3);
}

#[test]
fn ninety_meetings_in_ninety_days() {
    let dir = tempfile::tempdir().unwrap();
    let (r, clock) = recovery_at(dir.path(), utc(2026, 1, 1, 20, 0), "UTC");
    let empty = r.ninety_in_ninety().unwrap();
    assert_eq!((empty.day, empty.meetings, empty.remaining), (0, 0, 90));
    // Two meetings on day one, then one a day for 40 days, then skip two days.
    r.log_meeting(MeetingInput {
        date: None,
        kind: MeetingKind::TwelveStep,
        name: None,
        note: None,
    })
    .unwrap();
    for day in 0..40 {
        r.log_meeting(MeetingInput {
            date: None,
            kind: if day % 2 == 0 {
                MeetingKind::SmartRecovery
            } else {
                MeetingKind::Online
            },
            name: Some("Tuesday night group".into()),
            note: None,
        })
        .unwrap();
        clock.advance(Duration::days(1));
    }
    let p = r.ninety_in_ninety().unwrap();
    assert_eq!(p.started_on, Some(date(2026, 1, 1)));
    assert_eq!((p.day, p.meetings), (41, 41));
    assert!(p.on_track && !p.complete);
    clock.advance(Duration::days(2));
    let p = r.ninety_in_ninety().unwrap();
    assert_eq!(p.day, 43);
    assert!(!p.on_track);
    // Make it up: 49 more meetings over the remaining days.
    for _ in 0..49 {
        r.log_meeting(MeetingInput {
            date: None,
            kind: MeetingKind::TherapyGroup,
            name: None,
            note: None,
        })
        .unwrap();
    }
    let p = r.ninety_in_ninety().unwrap();
    assert_eq!(p.meetings, 90);
    assert!(p.complete);
    assert_eq!(
        r.meetings(date(2026, 1, 1), date(2026, 1, 1))
            .unwrap()
            .len(),
        2
    );
    assert!(matches!(
        r.log_meeting(MeetingInput {
            date: Some(date(2027, 1, 1)),
            kind: MeetingKind::Online,
            name: None,
            note: None
        }),
        Err(Error::InvalidInput { field: "date", .. })
    ));
}
