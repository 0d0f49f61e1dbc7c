import type { TensorInfo } from '../../preload/api'

export function TensorTable({ tensors, testId }: { tensors: readonly TensorInfo[]; testId: string }): React.JSX.Element {
  return (
    <table className="table" data-testid={testId}>
      <thead>
        <tr>
          <th>name</th>
          <th>dtype</th>
          <th>shape</th>
        </tr>
      </thead>
      <tbody>
        {tensors.map((tensor) => (
          <tr key={tensor.name} data-testid="tensor-row">
            <td className="mono">{tensor.name}</td>
            <td>{tensor.dtype}</td>
            <td className="mono">
              [
              {tensor.shape.map((dim, index) => (
                <span key={index}>
                  {index > 0 && ', '}
                  {typeof dim === 'string' ? <span className="dim-symbolic" title="dynamic dimension">{dim}</span> : dim}
                </span>
              ))}
              ]
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
