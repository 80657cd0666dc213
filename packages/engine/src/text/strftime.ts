/**
 * Python's `datetime.strftime` for the directives chat templates use (`strftime_now("%d %b %Y")`
 * in Llama 3.x). Names are English (the C locale), whatever the browser's locale; local time.
 */

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function dayOfYear(date: Date): number {
  const midnight = new Date(date.getFullYear(), date.getMonth(), date.getDate());
  const start = new Date(date.getFullYear(), 0, 1);
  // Rounding absorbs a daylight-saving hour between the two midnights.
  return Math.round((midnight.getTime() - start.getTime()) / 86_400_000) + 1;
}

export function strftime(date: Date, format: string): string {
  return format.replace(/%([a-zA-Z%])/g, (directive, code: string) => {
    switch (code) {
      case 'Y':
        return String(date.getFullYear());
      case 'y':
        return pad(date.getFullYear() % 100);
      case 'm':
        return pad(date.getMonth() + 1);
      case 'd':
        return pad(date.getDate());
      case 'e':
        return String(date.getDate()).padStart(2, ' ');
      case 'b':
        return MONTHS[date.getMonth()].slice(0, 3);
      case 'B':
        return MONTHS[date.getMonth()];
      case 'a':
        return DAYS[date.getDay()].slice(0, 3);
      case 'A':
        return DAYS[date.getDay()];
      case 'j':
        return pad(dayOfYear(date), 3);
      case 'H':
        return pad(date.getHours());
      case 'I':
        return pad(date.getHours() % 12 || 12);
      case 'p':
        return date.getHours() < 12 ? 'AM' : 'PM';
      case 'M':
        return pad(date.getMinutes());
      case 'S':
        return pad(date.getSeconds());
      case '%':
        return '%';
      default:
        return directive;
    }
  });
}
