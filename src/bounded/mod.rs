//! Bounded reads of files a package holds: regular files only, never more than a size cap.
//!
//! A package is someone else's directory. One of its files may be a FIFO (opening it for
//! reading would wait for a writer forever), a device, a link to either, or far larger than
//! any file the generator writes. Every read of a package goes through here, so a hostile
//! or broken package costs a clear error, never a hang or the machine's memory.
//!
//! Files are opened with `O_NONBLOCK` (a FIFO opens at once instead of waiting) and checked
//! with `fstat` on the open descriptor, so a file swapped for something else between a
//! check and the open is still refused.

use std::fs::File;
use std::io::{self, Read};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use sha2::{Digest, Sha256};

/// The largest file read whole: far above anything a package holds (its largest generated
/// file is a few KiB; an evidence report of a large suite a few hundred KiB).
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// The largest file hashed (in fixed-size chunks, so memory stays small).
pub const MAX_HASHED_BYTES: u64 = 64 * 1024 * 1024;

/// Opens `path` for reading if it is a regular file of at most `cap` bytes; returns the
/// file and its size.
fn open_regular(path: &Path, cap: u64) -> io::Result<(File, u64)> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    if meta.len() > cap {
        return Err(too_large(cap));
    }
    Ok((file, meta.len()))
}

fn too_large(cap: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("larger than the {} MiB limit", cap / (1024 * 1024)),
    )
}

/// Reads the regular file at `path` whole, if it is at most [`MAX_FILE_BYTES`] long. A
/// missing file is `ErrorKind::NotFound`, like [`std::fs::read`].
pub fn read(path: &Path) -> io::Result<Vec<u8>> {
    read_capped(path, MAX_FILE_BYTES)
}

/// [`read`] with another cap.
pub fn read_capped(path: &Path, cap: u64) -> io::Result<Vec<u8>> {
    let (file, len) = open_regular(path, cap)?;
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    // A file that grows after the check is still cut at the cap.
    file.take(cap + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(too_large(cap));
    }
    Ok(bytes)
}

/// [`read`], as UTF-8 text.
pub fn read_to_string(path: &Path) -> io::Result<String> {
    String::from_utf8(read(path)?).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        )
    })
}

/// The sha256 (lowercase hex) of the regular file at `path`, read in chunks, if it is at
/// most [`MAX_HASHED_BYTES`] long.
pub fn sha256_file(path: &Path) -> io::Result<String> {
    let (file, _) = open_regular(path, MAX_HASHED_BYTES)?;
    let mut hasher = Sha256::new();
    let mut buffer = [0u8; 16 * 1024];
    let mut total = 0u64;
    let mut reader = file.take(MAX_HASHED_BYTES + 1);
    loop {
        let n = match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        total += n as u64;
        hasher.update(&buffer[..n]);
    }
    if total > MAX_HASHED_BYTES {
        return Err(too_large(MAX_HASHED_BYTES));
    }
    Ok(crate::text::digest::hex(&hasher.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_are_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "hello\n").unwrap();
        assert_eq!(read(&path).unwrap(), b"hello\n");
        assert_eq!(read_to_string(&path).unwrap(), "hello\n");
        assert_eq!(
            sha256_file(&path).unwrap(),
            crate::text::digest::sha256_hex(b"hello\n")
        );
    }

    #[test]
    fn missing_files_are_not_found() {
        let dir = tempfile::tempdir().unwrap();
        let err = read(&dir.path().join("absent")).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
    }

    #[test]
    fn a_fifo_is_refused_without_waiting_for_a_writer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fifo");
        let c_path = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path; mkfifo only creates a file system node.
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
        let err = read(&path).unwrap_err();
        assert_eq!(err.to_string(), "not a regular file");
        assert!(sha256_file(&path).is_err());
    }

    #[test]
    fn directories_and_devices_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read(dir.path()).is_err());
        assert_eq!(
            read(Path::new("/dev/zero")).unwrap_err().to_string(),
            "not a regular file"
        );
    }

    #[test]
    fn files_over_the_cap_are_refused_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big");
        std::fs::write(&path, vec![b'x'; 2048]).unwrap();
        let err = read_capped(&path, 1024).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert_eq!(read_capped(&path, 2048).unwrap().len(), 2048);
        // A sparse file far over the cap costs nothing to refuse.
        let sparse = dir.path().join("sparse");
        File::create(&sparse)
            .unwrap()
            .set_len(MAX_HASHED_BYTES + 1)
            .unwrap();
        assert!(read(&sparse).unwrap_err().to_string().contains("8 MiB"));
        assert!(sha256_file(&sparse)
            .unwrap_err()
            .to_string()
            .contains("64 MiB"));
    }
}
