/// Weight of a text run. Bold falls back to regular for scripts without a bold face.
///
/// ```swift
/// let style = TextStyle(size: 16, weight: .bold)
/// ```
public enum FontWeight: Sendable, Hashable { case regular, bold }
