//! Bounded reads of files a package holds: regular files only, never more than a size cap.
//!
//! A package is someone else's directory. One of its files may be a FIFO (opening it for
//! reading would wait for a writer forever), a device, a link to either, or far larger than
//! any file the generator writes. Every read of a package goes through here, so a hostile
//! or broken package costs a clear error, never a hang or the machine's memory.
//!
//! Inside [`snapshot`], each file is read from disk once and every later read gets the same
//! bytes: examining a package reads its files once, and sees one consistent state of them.
//!
//! Files are opened with `O_NONBLOCK` (a FIFO opens at once instead of waiting) and checked
//! with `fstat` on the open descriptor, so a file swapped for something else between a
//! check and the open is still refused.

use std::any::{Any, TypeId};
use std::cell::RefCell;
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use sha2::{Digest, Sha256};

/// The largest file read whole: far above anything a package holds (its largest generated
/// file is a few KiB; an evidence report of a large suite a few hundred KiB).
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// The largest file hashed (in fixed-size chunks, so memory stays small).
pub const MAX_HASHED_BYTES: u64 = 64 * 1024 * 1024;

/// Opens `path` for reading if it is a regular file of at most `cap` bytes; returns the
/// file and its size.
fn open_regular(path: &Path, cap: u64) -> io::Result<(File, u64)> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    // A fifo in a file's place must not block the open (it is refused just below).
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(
        &mut options,
        rustix::fs::OFlags::NONBLOCK.bits() as i32,
    );
    let file = options.open(path)?;
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

/// A file as first read inside a [`snapshot`]: its bytes, or the error's kind and text.
type Cached = Result<Vec<u8>, (io::ErrorKind, String)>;

/// What a snapshot holds: files as read, and values derived from them ([`derived`]).
#[derive(Default)]
struct Snapshot {
    files: HashMap<PathBuf, Cached>,
    derived: HashMap<(PathBuf, TypeId), Rc<dyn Any>>,
}

thread_local! {
    static SNAPSHOT: RefCell<Option<Snapshot>> = const { RefCell::new(None) };
}

/// Runs `f` with a read cache on this thread: every file [`read`] inside is read from disk
/// once, and later reads of it (and [`sha256_file`]) get the same bytes or the same error.
/// The cache is dropped when `f` returns; a nested call shares the outer one.
pub fn snapshot<T>(f: impl FnOnce() -> T) -> T {
    let outer = SNAPSHOT.with(|cache| {
        let mut cache = cache.borrow_mut();
        let outer = cache.is_some();
        cache.get_or_insert_with(Snapshot::default);
        outer
    });
    // Dropped on return and on unwind, so a panic cannot leave a cache behind.
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            if !self.0 {
                SNAPSHOT.with(|cache| cache.borrow_mut().take());
            }
        }
    }
    let _reset = Reset(outer);
    f()
}

fn cached(path: &Path) -> Option<Cached> {
    SNAPSHOT.with(|cache| cache.borrow().as_ref()?.files.get(path).cloned())
}

/// A value computed from the file at `path` (a parsed document): inside a [`snapshot`],
/// `make` runs once per file and type and later calls share its result; outside, it runs
/// every time.
pub fn derived<T: 'static>(path: &Path, make: impl FnOnce() -> T) -> Rc<T> {
    let key = (path.to_owned(), TypeId::of::<T>());
    let found = SNAPSHOT.with(|cache| {
        let cache = cache.borrow();
        let value = cache.as_ref()?.derived.get(&key)?.clone();
        value.downcast::<T>().ok()
    });
    if let Some(value) = found {
        return value;
    }
    let value = Rc::new(make());
    SNAPSHOT.with(|cache| {
        if let Some(cache) = cache.borrow_mut().as_mut() {
            cache.derived.insert(key, value.clone());
        }
    });
    value
}

/// Reads the regular file at `path` whole, if it is at most [`MAX_FILE_BYTES`] long. A
/// missing file is `ErrorKind::NotFound`, like [`std::fs::read`].
pub fn read(path: &Path) -> io::Result<Vec<u8>> {
    if let Some(found) = cached(path) {
        return found.map_err(|(kind, text)| io::Error::new(kind, text));
    }
    let result = read_capped(path, MAX_FILE_BYTES);
    SNAPSHOT.with(|cache| {
        if let Some(cache) = cache.borrow_mut().as_mut() {
            let entry = match &result {
                Ok(bytes) => Ok(bytes.clone()),
                Err(err) => Err((err.kind(), err.to_string())),
            };
            cache.files.insert(path.to_owned(), entry);
        }
    });
    result
}

/// [`read`] with another cap.
///
/// Reads the size `fstat` reported and stops there (no extra read to find the end): a file
/// that grows meanwhile is read as it was, and never past the cap.
pub fn read_capped(path: &Path, cap: u64) -> io::Result<Vec<u8>> {
    let (mut file, len) = open_regular(path, cap)?;
    let len = usize::try_from(len).map_err(|_| too_large(cap))?;
    let mut bytes = vec![0; len];
    let mut filled = 0;
    while filled < len {
        match file.read(&mut bytes[filled..]) {
            // Shrunk meanwhile: what is there.
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    bytes.truncate(filled);
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
    if let Some(Ok(bytes)) = cached(path) {
        return Ok(crate::text::digest::sha256_hex(&bytes));
    }
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
    fn a_snapshot_reads_each_file_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "one").unwrap();
        let (first, second, missing) = snapshot(|| {
            let first = read(&path).unwrap();
            std::fs::write(&path, "two").unwrap();
            let missing = dir.path().join("absent");
            read(&missing).unwrap_err();
            std::fs::write(&missing, "now here").unwrap();
            let second = snapshot(|| read(&path).unwrap());
            assert_eq!(
                sha256_file(&path).unwrap(),
                crate::text::digest::sha256_hex(b"one")
            );
            (first, second, read(&missing).unwrap_err())
        });
        assert_eq!(
            (first.as_slice(), second.as_slice()),
            (&b"one"[..], &b"one"[..])
        );
        assert_eq!(missing.kind(), io::ErrorKind::NotFound);
        // Outside the snapshot, the disk again.
        assert_eq!(read(&path).unwrap(), b"two");
    }

    #[test]
    fn derived_values_are_made_once_per_snapshot() {
        let path = Path::new("/nonexistent/a.yaml");
        let mut made = 0;
        snapshot(|| {
            for _ in 0..3 {
                assert_eq!(
                    *derived(path, || {
                        made += 1;
                        7u8
                    }),
                    7
                );
            }
        });
        assert_eq!(made, 1);
        derived(path, || made += 1);
        assert_eq!(made, 2);
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
