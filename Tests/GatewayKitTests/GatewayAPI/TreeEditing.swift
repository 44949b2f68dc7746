import GatewayKit
import Testing

extension ManifestValue {
    /// The tree with the value at `path` replaced (added at the end of a map when missing),
    /// or removed when `value` is nil: one change to a valid object, for the rule tests.
    func setting(_ path: FieldPath, _ value: ManifestValue?) -> ManifestValue {
        setting(path.segments[...], value)
    }

    private func setting(_ segments: ArraySlice<FieldPath.Segment>, _ value: ManifestValue?) -> ManifestValue {
        guard let first = segments.first else { return value ?? .null }
        let rest = segments.dropFirst()
        switch (self, first) {
        case (.map(var fields), .field(let key)), (.map(var fields), .key(let key)):
            if let index = fields.firstIndex(where: { $0.key == key }) {
                if rest.isEmpty && value == nil {
                    fields.remove(at: index)
                } else {
                    fields[index].value = fields[index].value.setting(rest, value)
                }
            } else if let value {
                fields.append(ManifestField(key, ManifestValue.map([]).setting(rest, value)))
            }
            return .map(fields)
        case (.list(var items), .index(let index)):
            if index == items.count, let value {
                items.append(ManifestValue.map([]).setting(rest, value))
            } else if items.indices.contains(index) {
                if rest.isEmpty && value == nil {
                    items.remove(at: index)
                } else {
                    items[index] = items[index].setting(rest, value)
                }
            }
            return .list(items)
        default:
            return rest.isEmpty ? (value ?? .null) : ManifestValue.map([]).setting(segments, value)
        }
    }
}

/// Expects `object` to be refused with exactly one error, at `field` with `reason`.
func expectRefused(
    _ object: ManifestValue, at field: FieldPath, _ reason: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    let errors = GatewayAPIValidator.errors(object)
    #expect(errors == [FieldError(field, reason)], sourceLocation: sourceLocation)
}

/// Expects `object` to be accepted.
func expectAccepted(_ object: ManifestValue, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(GatewayAPIValidator.errors(object) == [], sourceLocation: sourceLocation)
}
