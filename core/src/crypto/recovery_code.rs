//! The recovery code: a random code shown once when a journal is created, which opens it when
//! the passphrase is forgotten and the phone's key is gone.
//!
//! A code is 26 random symbols of Crockford's base32 (130 bits of entropy) followed by 4
//! checksum symbols (20 bits of SHA-256 over the random part), written as six groups of five:
//! `7K3QD-M0XPA-...`. Typing it back is forgiving: case, spaces and dashes are ignored, and
//! the look-alikes `O`, `I` and `L` are read as `0`, `1` and `1`. A code whose checksum does
//! not match is reported as a typo ([`Error::RecoveryCodeTypo`]) before any key slot is
//! tried, so a person learns to look for a mistyped group instead of believing the code is
//! wrong; a random typo slips past the checksum with probability about one in a million.
//!
//! The code's text is kept in a zeroizing buffer; it has no `Display`, and its `Debug` prints
//! `RecoveryCode(<redacted>)`.

use crate::error::{Error, Result};
use ring::digest;
use zeroize::Zeroizing;

/// Crockford's base32 alphabet: digits and capitals without I, L, O and U.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Random symbols in a code.
pub const RANDOM_SYMBOLS: usize = 26;
/// Checksum symbols in a code.
pub const CHECK_SYMBOLS: usize = 4;
/// Symbols in a whole code.
pub const TOTAL_SYMBOLS: usize = RANDOM_SYMBOLS + CHECK_SYMBOLS;
/// Symbols per written group.
pub const GROUP_LEN: usize = 5;

/// A recovery code, either freshly generated (to show once) or parsed from what a person
/// typed. The only way to see it is [`RecoveryCode::reveal`].
pub struct RecoveryCode {
    /// The 26 random symbols as values 0..32: the secret a recovery slot's key comes from.
    symbols: Zeroizing<[u8; RANDOM_SYMBOLS]>,
}

impl std::fmt::Debug for RecoveryCode {
    /// Prints no part of the code.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryCode(<redacted>)")
    }
}

fn checksum(symbols: &[u8; RANDOM_SYMBOLS]) -> [u8; CHECK_SYMBOLS] {
    let mut context = digest::Context::new(&digest::SHA256);
    context.update(b"waymark recovery code v1");
    context.update(symbols);
    let hash = context.finish();
    let bytes = hash.as_ref();
    let bits =
        (u32::from(bytes[0]) << 12) | (u32::from(bytes[1]) << 4) | (u32::from(bytes[2]) >> 4);
    let mut out = [0u8; CHECK_SYMBOLS];
    for (i, slot) in out.iter_mut().enumerate() {
        // Four 5-bit symbols from the top 20 bits, most significant first; the mask keeps the
        // value below 32.
        *slot = ((bits >> (5 * (CHECK_SYMBOLS - 1 - i))) & 0x1f) as u8;
    }
    out
}

fn symbol_value(c: char) -> Option<u8> {
    let c = match c.to_ascii_uppercase() {
        'O' => '0',
        'I' | 'L' => '1',
        other => other,
    };
    ALPHABET
        .iter()
        .position(|&a| char::from(a) == c)
        .map(|p| p as u8)
}

impl RecoveryCode {
    /// Generates a new code from the system's secure random number generator.
    pub fn generate() -> Result<Self> {
        let mut symbols = Zeroizing::new([0u8; RANDOM_SYMBOLS]);
        super::fill_random(symbols.as_mut())?;
        for s in symbols.iter_mut() {
            // 256 is a multiple of 32, so masking keeps every symbol uniform.
            *s &= 0x1f;
        }
        Ok(RecoveryCode { symbols })
    }

    /// Reads a code as a person typed it. Wrong length or a character outside the alphabet is
    /// invalid input naming the rule; a checksum mismatch is [`Error::RecoveryCodeTypo`].
    pub fn parse(typed: &str) -> Result<Self> {
        let mut values = Zeroizing::new(Vec::with_capacity(TOTAL_SYMBOLS));
        for (position, c) in typed
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .enumerate()
        {
            match symbol_value(c) {
                Some(v) => values.push(v),
                None => {
                    return Err(Error::invalid(
                        "recovery_code",
                        format!(
                            "character {} is not a recovery-code character (digits and letters other than U)",
                            position + 1
                        ),
                    ))
                }
            }
        }
        if values.len() != TOTAL_SYMBOLS {
            return Err(Error::invalid(
                "recovery_code",
                format!(
                    "must have {TOTAL_SYMBOLS} characters (six groups of five), found {}",
                    values.len()
                ),
            ));
        }
        let mut symbols = Zeroizing::new([0u8; RANDOM_SYMBOLS]);
        symbols.copy_from_slice(&values[..RANDOM_SYMBOLS]);
        if checksum(&symbols)[..] != values[RANDOM_SYMBOLS..] {
            return Err(Error::RecoveryCodeTypo);
        }
        Ok(RecoveryCode { symbols })
    }

    /// The code as it is shown and written down: six groups of five symbols joined by dashes.
    /// Show it once, never log it.
    pub fn reveal(&self) -> Zeroizing<String> {
        let check = checksum(&self.symbols);
        let mut text = Zeroizing::new(String::with_capacity(TOTAL_SYMBOLS + 5));
        for (i, &v) in self.symbols.iter().chain(check.iter()).enumerate() {
            if i > 0 && i % GROUP_LEN == 0 {
                text.push('-');
            }
            text.push(char::from(ALPHABET[usize::from(v & 0x1f)]));
        }
        text
    }

    /// The secret bytes a recovery slot's key is derived from.
    pub(crate) fn secret(&self) -> &[u8] {
        self.symbols.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_codes_round_trip_and_differ() {
        let a = RecoveryCode::generate().unwrap();
        let b = RecoveryCode::generate().unwrap();
        assert_ne!(a.reveal(), b.reveal());
        let text = a.reveal();
        assert_eq!(text.len(), 35);
        assert_eq!(text.matches('-').count(), 5);
        let parsed = RecoveryCode::parse(&text).unwrap();
        assert_eq!(parsed.secret(), a.secret());
    }

    #[test]
    fn typing_is_forgiving() {
        let code = RecoveryCode::generate().unwrap();
        let text = code.reveal();
        let sloppy: String = text
            .to_lowercase()
            .replace('-', "  ")
            .replace('0', "o")
            .replace('1', "l");
        assert_eq!(
            RecoveryCode::parse(&sloppy).unwrap().secret(),
            code.secret()
        );
    }

    #[test]
    fn every_single_symbol_typo_in_a_code_is_a_typo_or_invalid() {
        let code = RecoveryCode::generate().unwrap();
        let text: Vec<char> = code.reveal().chars().filter(|c| *c != '-').collect();
        let mut typos = 0;
        for i in 0..text.len() {
            for &replacement in ALPHABET.iter() {
                let replacement = char::from(replacement);
                if replacement == text[i] {
                    continue;
                }
                let mut typed = text.clone();
                typed[i] = replacement;
                let typed: String = typed.into_iter().collect();
                match RecoveryCode::parse(&typed) {
                    Err(Error::RecoveryCodeTypo) => typos += 1,
                    Err(other) => panic!("unexpected error {other}"),
                    Ok(_) => {} // one in a million: a typo the checksum cannot see
                }
            }
        }
        assert!(typos >= 30 * 31 - 2, "only {typos} typos detected");
    }

    #[test]
    fn wrong_length_and_bad_characters_name_the_rule() {
        let err = RecoveryCode::parse("ABCDE-FGHJK").unwrap_err().to_string();
        assert!(err.contains("must have 30 characters"), "{err}");
        let err = RecoveryCode::parse("ABCDE-FGHJU").unwrap_err().to_string();
        assert!(err.contains("character 10"), "{err}");
        assert!(!err.contains("FGHJU"));
    }
}
