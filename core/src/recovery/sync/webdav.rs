//! [`WebDavStore`]: a sync store on a WebDAV server (Nextcloud, ownCloud, Apache mod_dav),
//! over HTTPS through rustls. Each blob is one file in the collection the URL names; the
//! collection is made on first use. Credentials come from the caller (the command line reads
//! them from the environment), never from a file, and go only over HTTPS: plain HTTP is
//! refused except to this computer (a test server on 127.0.0.1).

use super::store::{is_blob_name, StoreError, SyncStore, MAX_BLOB_BYTES};
use std::io::Read;
use std::time::Duration;

/// The longest a listing may be (a collection of a few hundred names is a few hundred KiB).
const MAX_LISTING_BYTES: u64 = 16 * 1024 * 1024;

/// A WebDAV collection holding a journal's sync blobs.
pub struct WebDavStore {
    base: String,
    authorization: Option<String>,
    agent: ureq::Agent,
}

impl std::fmt::Debug for WebDavStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebDavStore")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

/// True when `host` (as written in a URL) is this computer: exactly `localhost`, or an IP
/// address parsed as one and in 127.0.0.0/8 or `::1` (bracketed). A name that merely starts
/// like one (`127.attacker.example`) is a name like any other.
fn is_loopback(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return v6
            .parse::<std::net::Ipv6Addr>()
            .is_ok_and(|a| a.is_loopback());
    }
    host.parse::<std::net::Ipv4Addr>()
        .is_ok_and(|a| a.is_loopback())
}

/// Checks that a request was done: `expected` statuses count (a 2xx, or 207 for a listing);
/// anything else, a redirect included (this store never follows one: a redirect could send
/// the credentials or a blob elsewhere), is an error naming the status.
fn done(
    result: Result<ureq::Response, ureq::Error>,
    expected: impl Fn(u16) -> bool,
) -> Result<ureq::Response, Box<ureq::Error>> {
    match result {
        Ok(response) if expected(response.status()) => Ok(response),
        Ok(response) => {
            let status = response.status();
            Err(Box::new(ureq::Error::Status(status, response)))
        }
        Err(e) => Err(Box::new(e)),
    }
}

fn success(status: u16) -> bool {
    (200..300).contains(&status)
}

impl WebDavStore {
    /// The store at `url` (an `https://` collection, such as
    /// `https://cloud.example.org/remote.php/dav/files/sam/waymark/`), signing in with
    /// `user` and `password` when given.
    pub fn new(url: &str, credentials: Option<(&str, &str)>) -> Result<WebDavStore, StoreError> {
        let (scheme, rest) = url
            .split_once("://")
            .ok_or_else(|| StoreError("the WebDAV URL must start with https://".into()))?;
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host_only = host.rsplit_once('@').map_or(host, |(_, h)| h);
        // The host, then nothing or a port: `[::1]:8080`, `example.org:443`, `127.0.0.1`.
        let (host_name, port) = match host_only.strip_prefix('[') {
            Some(bracketed) => match bracketed.split_once(']') {
                Some((inside, after)) => (&host_only[..inside.len() + 2], after),
                None => ("", ""),
            },
            None => match host_only.split_once(':') {
                Some((name, port)) => (name, &host_only[name.len()..][..port.len() + 1]),
                None => (host_only, ""),
            },
        };
        let port_ok = port.is_empty()
            || port.strip_prefix(':').is_some_and(|p| {
                !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit())
            });
        if !port_ok {
            return Err(StoreError(
                "the WebDAV URL's server is not a name or address with an optional port".into(),
            ));
        }
        match scheme {
            "https" => {}
            "http" if is_loopback(host_name) => {}
            "http" => {
                return Err(StoreError(
                    "the WebDAV URL must use https:// (plain http only to this computer)".into(),
                ))
            }
            _ => return Err(StoreError("the WebDAV URL must start with https://".into())),
        }
        if host_name.is_empty() || host != host_only {
            return Err(StoreError(
                "the WebDAV URL must name a server, without a user or password in it".into(),
            ));
        }
        let mut base = url.to_owned();
        if !base.ends_with('/') {
            base.push('/');
        }
        let authorization = credentials.map(|(user, password)| {
            format!("Basic {}", base64(format!("{user}:{password}").as_bytes()))
        });
        let agent = ureq::AgentBuilder::new()
            .timeout_connect(Duration::from_secs(15))
            .timeout(Duration::from_secs(120))
            .redirects(0)
            .build();
        Ok(WebDavStore {
            base,
            authorization,
            agent,
        })
    }

    fn request(&self, method: &str, url: &str) -> ureq::Request {
        let request = self.agent.request(method, url);
        match &self.authorization {
            Some(value) => request.set("Authorization", value),
            None => request,
        }
    }

    fn url(&self, name: &str) -> Result<String, StoreError> {
        if is_blob_name(name) {
            Ok(format!("{}{name}", self.base))
        } else {
            Err(StoreError("a blob name is not one Waymark writes".into()))
        }
    }

    /// Makes the collection (MKCOL); one that exists already is fine.
    fn make_collection(&self) -> Result<(), StoreError> {
        match done(self.request("MKCOL", &self.base).call(), success).map_err(|e| *e) {
            Ok(_) | Err(ureq::Error::Status(405, _)) => Ok(()),
            Err(e) => Err(failed("made", e)),
        }
    }
}

/// A store error for a failed request, in words a person can act on (never a body).
fn failed(what: &str, error: ureq::Error) -> StoreError {
    let why = match &error {
        ureq::Error::Status(401 | 403, _) => {
            "the server refused the user name or password (WAYMARK_WEBDAV_USER, WAYMARK_WEBDAV_PASSWORD)".to_owned()
        }
        ureq::Error::Status(404, _) => "the server has no such folder".to_owned(),
        ureq::Error::Status(507, _) => "the server is out of space".to_owned(),
        ureq::Error::Status(code @ 300..=399, _) => format!(
            "the server answered with a redirect (HTTP {code}); use the URL it redirects to"
        ),
        ureq::Error::Status(code, _) => format!("the server answered HTTP {code}"),
        ureq::Error::Transport(t) => match t.kind() {
            ureq::ErrorKind::Dns => "the server's name does not resolve".to_owned(),
            ureq::ErrorKind::ConnectionFailed => "the server cannot be reached".to_owned(),
            ureq::ErrorKind::InvalidUrl => "the URL is not valid".to_owned(),
            _ => "the connection failed (network, or the server's certificate)".to_owned(),
        },
    };
    StoreError(format!("the WebDAV folder could not be {what}: {why}"))
}

/// Reads at most `limit` bytes of a response body; more is an error.
fn body(response: ureq::Response, limit: u64) -> Result<Vec<u8>, StoreError> {
    let mut bytes = Vec::new();
    response
        .into_reader()
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|_| StoreError("the WebDAV connection broke while reading".into()))?;
    if bytes.len() as u64 > limit {
        return Err(StoreError(
            "the WebDAV server sent more than any Waymark blob holds".into(),
        ));
    }
    Ok(bytes)
}

/// The last path segment of every `href` in a PROPFIND answer (any namespace prefix).
fn hrefs(xml: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = xml;
    while let Some(open) = rest.find("href>") {
        let tag_start = rest[..open].rfind('<');
        let after = &rest[open + 5..];
        let closing = tag_start.is_some_and(|lt| rest[lt + 1..].starts_with('/'));
        let Some(close) = after.find('<') else { break };
        if closing {
            rest = &after[close..];
            continue;
        }
        let href = after[..close].trim().trim_end_matches('/');
        if let Some(name) = href.rsplit('/').next() {
            names.push(name.to_owned());
        }
        rest = &after[close..];
    }
    names
}

impl SyncStore for WebDavStore {
    fn list(&self) -> Result<Vec<String>, StoreError> {
        let propfind = r#"<?xml version="1.0" encoding="utf-8"?><propfind xmlns="DAV:"><prop><resourcetype/></prop></propfind>"#;
        let listed = self
            .request("PROPFIND", &self.base)
            .set("Depth", "1")
            .set("Content-Type", "application/xml; charset=utf-8")
            .send_string(propfind);
        let response = match done(listed, |status| status == 207).map_err(|e| *e) {
            Ok(response) => response,
            Err(ureq::Error::Status(404, _)) => {
                self.make_collection()?;
                return Ok(Vec::new());
            }
            Err(e) => return Err(failed("listed", e)),
        };
        let xml = body(response, MAX_LISTING_BYTES)?;
        let xml = String::from_utf8_lossy(&xml);
        Ok(hrefs(&xml)
            .into_iter()
            .filter(|n| is_blob_name(n))
            .collect())
    }

    fn get(&self, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
        match done(self.request("GET", &self.url(name)?).call(), success).map_err(|e| *e) {
            Ok(response) => Ok(Some(body(response, MAX_BLOB_BYTES)?)),
            Err(ureq::Error::Status(404 | 410, _)) => Ok(None),
            Err(e) => Err(failed("read", e)),
        }
    }

    fn put(&self, name: &str, bytes: &[u8]) -> Result<(), StoreError> {
        let url = self.url(name)?;
        let put = || {
            let sent = self
                .request("PUT", &url)
                .set("Content-Type", "application/octet-stream")
                .send_bytes(bytes);
            done(sent, success).map(|_| ())
        };
        match put() {
            Ok(()) => Ok(()),
            Err(e) if matches!(*e, ureq::Error::Status(404 | 409, _)) => {
                self.make_collection()?;
                put().map_err(|e| failed("written", *e))
            }
            Err(e) => Err(failed("written", *e)),
        }
    }

    fn delete(&self, name: &str) -> Result<(), StoreError> {
        match done(self.request("DELETE", &self.url(name)?).call(), success).map_err(|e| *e) {
            Ok(_) | Err(ureq::Error::Status(404 | 410, _)) => Ok(()),
            Err(e) => Err(failed("changed", e)),
        }
    }
}

/// Standard base64 with padding (for the Basic authorization header).
fn base64(bytes: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(TABLE[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64(b"sam:p@ss word"), "c2FtOnBAc3Mgd29yZA==");
    }

    #[test]
    fn hrefs_are_read_whatever_the_namespace_prefix() {
        let xml = r#"<D:multistatus xmlns:D="DAV:"><D:response><D:href>/dav/waymark/</D:href></D:response><D:response><D:href>/dav/waymark/c-0123</D:href></D:response><d:response><d:href>/dav/waymark/keys</d:href></d:response><response><href>https://h/dav/waymark/s-99</href></response></D:multistatus>"#;
        assert_eq!(hrefs(xml), vec!["waymark", "c-0123", "keys", "s-99"]);
    }

    #[test]
    fn plain_http_and_credentials_in_the_url_are_refused_except_on_this_computer() {
        assert!(WebDavStore::new("http://cloud.example.org/dav/", None).is_err());
        assert!(WebDavStore::new("https://sam:secret@cloud.example.org/dav/", None).is_err());
        assert!(WebDavStore::new("ftp://cloud.example.org/", None).is_err());
        assert!(WebDavStore::new("https://cloud.example.org/dav", None).is_ok());
        assert!(WebDavStore::new("http://127.0.0.1:8080/dav/", None).is_ok());
        assert!(WebDavStore::new("http://localhost:8080/dav/", None).is_ok());
        assert!(WebDavStore::new("http://127.8.9.10/dav/", None).is_ok());
        assert!(WebDavStore::new("http://[::1]:8080/dav/", None).is_ok());
        // Names that only look like this computer are refused.
        for url in [
            "http://127.attacker.example/dav/",
            "http://127.0.0.1.attacker.example/dav/",
            "http://localhost.attacker.example/dav/",
            "http://[::1].example/dav/",
            "http://[::2]/dav/",
            "http://0x7f.0.0.1/dav/",
        ] {
            assert!(WebDavStore::new(url, None).is_err(), "{url}");
        }
    }
}
