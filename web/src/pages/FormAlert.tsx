// The banner above a form for errors that concern no single field.
import { Alert } from 'antd';

export function FormAlert({ text, extra }: { text: string | null; extra: string[] }) {
  if (!text) return null;
  return (
    <Alert
      type="error"
      showIcon
      className="form-alert"
      data-testid="form-error"
      role="alert"
      title={text}
      description={
        extra.length > 0 ? (
          <ul className="form-alert-list">
            {extra.map((e, i) => (
              <li key={i}>{e}</li>
            ))}
          </ul>
        ) : undefined
      }
    />
  );
}
